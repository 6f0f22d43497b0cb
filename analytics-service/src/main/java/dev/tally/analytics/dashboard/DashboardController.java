package dev.tally.analytics.dashboard;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/** The dashboard is static files under /dashboard/ (src/main/resources/static/dashboard); the root leads there. */
@RestController
public class DashboardController {

    @GetMapping({"/", "/dashboard", "/dashboard/"})
    ResponseEntity<Void> root() {
        return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/dashboard/index.html")).build();
    }
}
