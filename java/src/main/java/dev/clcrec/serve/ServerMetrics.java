package dev.clcrec.serve;

import dev.clcrec.api.Recommender;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The server's Prometheus metrics: requests by route and status, latency, catalog size, model version. */
final class ServerMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram latency;
    private final Counter reloads;

    ServerMetrics(Recommender rec) {
        requests = Counter.builder().name("clcrec_http_requests_total").help("HTTP requests by route and status")
                .labelNames("route", "status").register(registry);
        latency = Histogram.builder().name("clcrec_http_request_duration_seconds")
                .help("Time from routing a request to its response, by route").labelNames("route")
                .classicOnly()
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5)
                .register(registry);
        reloads = Counter.builder().name("clcrec_model_reloads_total").help("Successful model reloads")
                .register(registry);
        GaugeWithCallback.builder().name("clcrec_catalog_items").help("Items that can be recommended now")
                .callback(cb -> cb.call(rec.catalogSize())).register(registry);
        GaugeWithCallback.builder().name("clcrec_model_info").help("The model being served (value 1), by version")
                .labelNames("version").callback(cb -> cb.call(1, rec.modelVersion())).register(registry);
        GaugeWithCallback.builder().name("clcrec_users").help("Users the model knows")
                .callback(cb -> cb.call(rec.numUsers())).register(registry);
    }

    void observe(String route, int status, long nanos) {
        requests.labelValues(route, Integer.toString(status)).inc();
        latency.labelValues(route).observe(nanos / 1e9);
    }

    void reloaded() {
        reloads.inc();
    }

    String contentType() {
        return writer.getContentType();
    }

    byte[] scrape() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writer.write(out, registry.scrape());
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
