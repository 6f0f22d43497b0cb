package dev.tally.testsupport.attack;

import org.springframework.context.ApplicationContext;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfo;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Every route a running WebFlux application serves, read from its handler mappings: the controllers' and the
 * actuator's request mappings, static resource mappings, and functional routes. A route the code adds is listed here
 * without anyone writing it down, which is what lets an attack suite refuse a route nobody classified.
 */
public final class RouteInventory {

    private RouteInventory() {
    }

    public static Set<Route> of(ApplicationContext context) {
        Set<Route> routes = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping
                : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                    if (methods.isEmpty()) {
                        // A mapping without a method takes every method: listed as such, so it must be classified.
                        routes.add(new Route("ANY", pattern.getPatternString()));
                    }
                    methods.forEach(method -> routes.add(new Route(method.name(), pattern.getPatternString())));
                }
            }
        }
        for (SimpleUrlHandlerMapping mapping : context.getBeansOfType(SimpleUrlHandlerMapping.class).values()) {
            mapping.getUrlMap().keySet().forEach(pattern -> routes.add(new Route("ANY", pattern)));
        }
        for (RouterFunctionMapping mapping : context.getBeansOfType(RouterFunctionMapping.class).values()) {
            RouterFunction<?> function = mapping.getRouterFunction();
            if (function != null) {
                function.accept(new FunctionalRoutes(routes));
            }
        }
        return routes;
    }

    /** The routes whose handler reads a JSON body ({@code @RequestBody}), from the handler methods' parameters. */
    public static Set<Route> takingBody(ApplicationContext context) {
        Set<Route> routes = new TreeSet<>();
        for (RequestMappingInfoHandlerMapping mapping
                : context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            mapping.getHandlerMethods().forEach((info, method) -> {
                boolean body = java.util.Arrays.stream(method.getMethodParameters())
                        .anyMatch(parameter -> parameter.hasParameterAnnotation(RequestBody.class));
                if (body) {
                    for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                        info.getMethodsCondition().getMethods()
                                .forEach(m -> routes.add(new Route(m.name(), pattern.getPatternString())));
                    }
                }
            });
        }
        return routes;
    }

    /** A functional route is listed by its predicate's description, e.g. {@code ROUTE (GET && /things)}. */
    private record FunctionalRoutes(Set<Route> routes) implements RouterFunctions.Visitor {

        @Override
        public void startNested(RequestPredicate predicate) {
        }

        @Override
        public void endNested(RequestPredicate predicate) {
        }

        @Override
        public void route(RequestPredicate predicate, HandlerFunction<?> handlerFunction) {
            routes.add(new Route("ROUTE", predicate.toString()));
        }

        @Override
        public void resources(Function<ServerRequest, reactor.core.publisher.Mono<org.springframework.core.io.Resource>>
                lookupFunction) {
            routes.add(new Route("ROUTE", "resources " + lookupFunction));
        }

        @Override
        public void attributes(java.util.Map<String, Object> attributes) {
        }

        @Override
        public void unknown(RouterFunction<?> routerFunction) {
            routes.add(new Route("ROUTE", "unknown " + routerFunction));
        }
    }
}
