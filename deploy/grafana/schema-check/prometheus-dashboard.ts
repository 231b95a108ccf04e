import type { AnnotationQuery, Dashboard, DataQuery } from '@grafana/schema';

// Grafana's dashboard schema leaves each data source's query open (DataQuery: refId, hide, ...) and does
// not list what the Prometheus data source reads beside an annotation's target: both are declared here,
// with the names Grafana's Prometheus data source gives them. Everything else is the schema's.
export type PrometheusQuery = DataQuery & { expr: string; interval?: string; legendFormat?: string; instant?: boolean; range?: boolean };

export type PrometheusAnnotation = Omit<AnnotationQuery, 'target'> & {
  target?: PrometheusQuery;
  titleFormat?: string;
  textFormat?: string;
  tagKeys?: string;
  useValueForTime?: boolean;
};

export type StampedeDashboard = Omit<Dashboard, 'annotations'> & { annotations?: { list?: PrometheusAnnotation[] } };
