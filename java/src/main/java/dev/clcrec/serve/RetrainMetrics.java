package dev.clcrec.serve;

import dev.clcrec.api.Recommender;
import dev.clcrec.api.RetrainOutcome;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;

/**
 * Retraining in {@code /metrics}: decisions by outcome, how long retrains take, the model's age and
 * the last gate's values (NaN until a gate ran).
 */
final class RetrainMetrics {
    private volatile double lastServing = Double.NaN;
    private volatile double lastCandidate = Double.NaN;

    private RetrainMetrics() {}

    static void register(PrometheusRegistry registry, Recommender rec) {
        RetrainMetrics m = new RetrainMetrics();
        Counter total = Counter.builder().name("clcrec_retrain_total")
                .help("Retrain and rollback decisions by outcome (swapped, refused, skipped, busy, failed, rolled_back)")
                .labelNames("outcome").register(registry);
        Histogram seconds = Histogram.builder().name("clcrec_retrain_duration_seconds")
                .help("Wall time of retrains that trained a candidate (swapped, refused or failed)")
                .classicOnly().classicUpperBounds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600)
                .register(registry);
        GaugeWithCallback.builder().name("clcrec_model_age_seconds")
                .help("Seconds since the model serving now took over (start, reload, swap or rollback)")
                .callback(cb -> cb.call(Duration.between(rec.modelSince(), Instant.now()).toMillis() / 1000.0))
                .register(registry);
        GaugeWithCallback.builder().name("clcrec_retrain_gate_value")
                .help("The last gate's holdout value of the serving model and of the candidate")
                .labelNames("model").callback(cb -> {
                    cb.call(m.lastServing, "serving");
                    cb.call(m.lastCandidate, "candidate");
                }).register(registry);
        for (RetrainOutcome.Outcome o : RetrainOutcome.Outcome.values()) {
            total.labelValues(o.label()); // every outcome shows, at 0, before it first happens
        }
        rec.onRetrain(o -> {
            total.labelValues(o.outcome().label()).inc();
            if (o.outcome() == RetrainOutcome.Outcome.SWAPPED || o.outcome() == RetrainOutcome.Outcome.REFUSED
                    || o.outcome() == RetrainOutcome.Outcome.FAILED) {
                seconds.observe(o.seconds());
            }
            if (Double.isFinite(o.servingValue())) {
                m.lastServing = o.servingValue();
                m.lastCandidate = o.candidateValue();
            }
        });
    }
}
