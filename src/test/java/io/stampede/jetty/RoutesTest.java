package io.stampede.jetty;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoutesTest {

    private final Routes<String> routes = Routes.<String>builder()
            .get("/proxies", "list")
            .post("/proxies", "create")
            .get("/proxies/{proxy}", "show")
            .delete("/proxies/{proxy}", "delete")
            .get("/proxies/{proxy}/toxics/{toxic}", "toxic")
            .build();

    @Test
    void aMethodAndPathFindTheirHandlerWithTheNamedSegmentsDecoded() {
        assertThat(routes.match("GET", "/proxies")).isEqualTo(new Routes.Match.Found<>("list", Routes.Params.NONE));
        assertThat(routes.match("POST", "/proxies")).extracting(m -> ((Routes.Match.Found<String>) m).handler()).isEqualTo("create");
        var toxic = (Routes.Match.Found<String>) routes.match("GET", "/proxies/my%20app/toxics/lat");
        assertThat(toxic.handler()).isEqualTo("toxic");
        assertThat(toxic.params().get("proxy")).isEqualTo("my app");
        assertThat(toxic.params().get("toxic")).isEqualTo("lat");
    }

    @Test
    void anUnknownPathIsNotFoundAndAKnownOneWithAnotherMethodIsNotAllowedWithItsMethods() {
        assertThat(routes.match("GET", "/nope")).isInstanceOf(Routes.Match.NotFound.class);
        assertThat(routes.match("GET", "/proxies/")).as("an empty segment names nothing").isInstanceOf(Routes.Match.NotFound.class);
        assertThat(routes.match("GET", "/proxies/a/toxics")).isInstanceOf(Routes.Match.NotFound.class);
        var put = (Routes.Match.NotAllowed<String>) routes.match("PUT", "/proxies");
        assertThat(put.allowHeader()).isEqualTo("GET, POST");
        assertThat(((Routes.Match.NotAllowed<String>) routes.match("PATCH", "/proxies/a")).allowHeader()).isEqualTo("GET, DELETE");
        assertThat(routes.match("HEAD", "/proxies")).as("HEAD only where asked").isInstanceOf(Routes.Match.NotAllowed.class);
    }

    @Test
    void headIsAnsweredByGetWhenTheTableSaysSo() {
        Routes<String> pages = Routes.<String>builder().headAsGet().get("/", "home").post("/login", "login").build();
        assertThat(pages.match("HEAD", "/")).isEqualTo(new Routes.Match.Found<>("home", Routes.Params.NONE));
        assertThat(((Routes.Match.NotAllowed<String>) pages.match("DELETE", "/")).allowHeader()).isEqualTo("GET, HEAD");
        assertThat(((Routes.Match.NotAllowed<String>) pages.match("GET", "/login")).allowHeader()).isEqualTo("POST");
    }
}
