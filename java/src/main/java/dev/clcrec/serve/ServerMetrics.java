package dev.clcrec.serve;

import dev.clcrec.api.Recommender;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicReferenceArray;

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
        GaugeWithCallback.builder().name("clcrec_retrieval_info")
                .help("How recommendations are retrieved now (value 1): exact, hnsw, or exact (graph building)")
                .labelNames("retrieval").callback(cb -> cb.call(1, rec.retrievalInUse())).register(registry);
        GaugeWithCallback.builder().name("clcrec_retrieval_recall")
                .help("Share of the exact top-k items the HNSW graph's answers held, over recently sampled requests"
                        + " (NaN before a sample)").callback(cb -> cb.call(rec.retrievalRecall())).register(registry);
        GaugeWithCallback.builder().name("clcrec_users").help("Users the model knows")
                .callback(cb -> cb.call(rec.numUsers())).register(registry);
        GaugeWithCallback.builder().name("clcrec_users_with_recorded_interactions")
                .help("Users with interactions recorded while serving (model users and new, folded-in users)")
                .callback(cb -> cb.call(rec.usersWithRecordedInteractions())).register(registry);
        GaugeWithCallback.builder().name("clcrec_journal_records_since_snapshot")
                .help("State journal records written since the last snapshot (0 without --state)")
                .callback(cb -> cb.call(rec.journalRecordsSinceSnapshot())).register(registry);
        if (rec.canRetrain()) {
            RetrainMetrics.register(registry, rec);
        }
    }

    /**
     * One route's series, looked up once: resolving label values on every request (a label list, a
     * status string and a map lookup per metric) is measurable at thousands of requests a second.
     */
    final class Route {
        private final String name;
        private final DistributionDataPoint latencyOf;
        private final AtomicReferenceArray<CounterDataPoint> byStatus = new AtomicReferenceArray<>(600);

        private Route(String name) {
            this.name = name;
            this.latencyOf = latency.labelValues(name);
        }

        void observe(int status, long nanos) {
            CounterDataPoint c = status >= 0 && status < byStatus.length() ? byStatus.get(status) : null;
            if (c == null) {
                // labelValues returns the same series for the same labels, so a race here is harmless.
                c = requests.labelValues(name, Integer.toString(status));
                if (status >= 0 && status < byStatus.length()) {
                    byStatus.set(status, c);
                }
            }
            c.inc();
            latencyOf.observe(nanos / 1e9);
        }
    }

    Route route(String name) {
        return new Route(name);
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
