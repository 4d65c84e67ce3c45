package dev.clcrec.cli;

import dev.clcrec.api.Recommender;
import dev.clcrec.api.RetrievalOptions;
import dev.clcrec.api.StateOptions;
import dev.clcrec.engine.Device;
import dev.clcrec.feed.KafkaFeed;
import dev.clcrec.retrieval.Retrieval;
import dev.clcrec.serve.AccessControl;
import dev.clcrec.serve.RecommendationServer;
import io.helidon.common.tls.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code serve}: the HTTP/JSON service over a model bundle, until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serves a model bundle over HTTP/JSON: GET /v1/users/{id}/recommendations?k=&items=all|warm|cold, "
                + "GET /v1/users/{id}/interactions, POST /v1/interactions, POST /v1/items, GET /v1/items/{id}, DELETE /v1/items/{id}, "
                + "POST /v1/admin/reload, POST /v1/admin/snapshot, POST /v1/admin/retrain, POST /v1/admin/rollback, GET /health, GET /metrics.",
                "Writes (any method but GET/HEAD/OPTIONS) and /v1/admin/* need 'Authorization: Bearer <token>', the "
                + "token from --token-file or CLCREC_TOKEN (never a flag value); reads are open unless --protect-reads. "
                + "Reloads load bundles under --bundle-root only. HTTPS with --tls-cert/--tls-key or --tls-keystore.",
                "With --state the service can retrain itself over what it recorded (--retrain-every, POST /v1/admin/retrain):"
                + " a candidate is swapped in only if it is not worse on the newest interactions than the model serving.",
                "SIGTERM stops taking requests, finishes those in flight and exits 0."})
final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--model", required = true, description = "The bundle folder (<out>/bundle of a training run, or clcrec export).")
    Path model;
    @Option(names = "--port", defaultValue = "8080", description = "TCP port, 0 for any free one (default ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--threads", defaultValue = "1", description = "LibTorch threads for encoding new items (default ${DEFAULT-VALUE}; 0 = all cores).")
    int threads;
    @Option(names = "--max-k", defaultValue = "1000", description = "Largest k a request may ask for (default ${DEFAULT-VALUE}).")
    int maxK;
    @Option(names = "--max-body-bytes", defaultValue = "1048576", description = "Largest request body (default ${DEFAULT-VALUE}).")
    int maxBody;
    @Option(names = "--state", description = "State directory: every added or removed item and recorded interaction is"
            + " journaled there (fsync before the reply) and replayed on start, so a restart keeps everything acknowledged."
            + " Without it, runtime changes live in memory only.")
    Path state;
    @Option(names = "--snapshot-every", defaultValue = "100000", description = "With --state: write a snapshot and start"
            + " a fresh journal every N journal records (default ${DEFAULT-VALUE}); also POST /v1/admin/snapshot.")
    long snapshotEvery;
    @Option(names = "--retrain-every", description = "With --state: retrain in the background this often (e.g. 30m,"
            + " 6h, PT15M); default: only on POST /v1/admin/retrain.")
    String retrainEvery;
    @Option(names = "--retrain-min-interactions", defaultValue = "1", description = "A retrain needs at least this many"
            + " interactions recorded and not yet trained on (default ${DEFAULT-VALUE}).")
    long retrainMinInteractions;
    @Option(names = "--train-threads", defaultValue = "1", description = "LibTorch threads of a retrain (default"
            + " ${DEFAULT-VALUE}; the engine's thread pool is process-wide, so serving shares it while a retrain runs).")
    int trainThreads;
    @Option(names = "--retrain-from", defaultValue = "warm", description = "warm (the serving model's parameters,"
            + " default) or scratch (a fresh model).")
    String retrainFrom;
    @Option(names = "--retrain-tolerance", defaultValue = "0", description = "Swap the candidate in unless its holdout"
            + " value is below the serving model's by more than this (default ${DEFAULT-VALUE}).")
    double retrainTolerance;
    @Option(names = "--select-on", defaultValue = "val:all:recall@10", description = "The gate's metric, SPLIT:SETTING:"
            + "METRIC@K (default ${DEFAULT-VALUE}; the split part is ignored: the gate's holdout is the newest"
            + " interactions).")
    String selectOn;
    @Option(names = "--retrain-holdout", defaultValue = "0.2", description = "Share of the new interactions, newest by"
            + " timestamp, held out for the gate (default ${DEFAULT-VALUE}).")
    double retrainHoldout;
    @Option(names = "--retrain-epochs", defaultValue = "10", description = "Epochs of a retrain (default ${DEFAULT-VALUE}).")
    int retrainEpochs;
    @Option(names = "--retrain-batch-size", defaultValue = "256", description = "Training pairs per step of a retrain"
            + " (default ${DEFAULT-VALUE}).")
    int retrainBatchSize;
    @Option(names = "--retrain-num-neg", defaultValue = "128", description = "Negatives per training pair of a retrain"
            + " (default ${DEFAULT-VALUE}).")
    int retrainNumNeg;
    @Option(names = "--keep-models", defaultValue = "3", description = "Bundles kept for POST /v1/admin/rollback: the one"
            + " in force and those before it (default ${DEFAULT-VALUE}).")
    int keepModels;
    @Option(names = "--kafka-bootstrap", description = "Run as a replica fed from Kafka (host:port,...): items and"
            + " interactions are consumed from --items-topic and --interactions-topic (local changes are then refused"
            + " with 409). With --state the replica resumes at its own position after a restart; without, it reads"
            + " the topics from the beginning.")
    String kafkaBootstrap;
    @Option(names = "--items-topic", defaultValue = "clcrec-items", description = "Item additions and removals (default"
            + " ${DEFAULT-VALUE}; one partition).")
    String itemsTopic;
    @Option(names = "--interactions-topic", defaultValue = "clcrec-interactions", description = "Interactions, keyed by"
            + " user (default ${DEFAULT-VALUE}).")
    String interactionsTopic;
    @Option(names = "--kafka-group", description = "Also commit the replica's positions to this consumer group (for"
            + " monitoring lag with Kafka's tools).")
    String kafkaGroup;
    @Option(names = "--retrieval", defaultValue = "auto", description = "How recommendations find their items: exact"
            + " (score every item), hnsw (an HNSW graph, candidates scored exactly), or auto (hnsw from "
            + dev.clcrec.retrieval.Retrieval.AUTO_MIN_ROWS + " items on; default). With --state each model's graph is"
            + " stored under STATE/index and loaded at the next start.")
    String retrieval;

    @Option(names = "--ef-search", defaultValue = "100", description = "HNSW search width: candidates kept while"
            + " walking the graph; higher is closer to exact and slower (default ${DEFAULT-VALUE}).")
    int efSearch;

    @Option(names = "--drain-seconds", defaultValue = "30", description = "How long SIGTERM waits for requests in flight (default ${DEFAULT-VALUE}).")
    int drainSeconds;
    @Mixin ServeSecurityOptions security;

    /** The retraining flags, checked; null without --state (then no retrain flag may be given). */
    private dev.clcrec.api.RetrainOptions retrainOptions() {
        var line = spec.commandLine().getParseResult();
        if (state == null) {
            for (String f : List.of("--retrain-every", "--retrain-min-interactions", "--train-threads", "--retrain-from",
                    "--retrain-tolerance", "--select-on", "--retrain-holdout", "--retrain-epochs", "--keep-models",
                    "--retrain-batch-size", "--retrain-num-neg")) {
                if (line.hasMatchedOption(f)) {
                    throw new ParameterException(spec.commandLine(), f + " needs --state (retrained bundles and the"
                            + " history of bundles live in the state directory)");
                }
            }
            return null;
        }
        try {
            var init = switch (retrainFrom.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "warm" -> dev.clcrec.api.RetrainOptions.Init.WARM;
                case "scratch" -> dev.clcrec.api.RetrainOptions.Init.SCRATCH;
                default -> throw new IllegalArgumentException("--retrain-from: '" + retrainFrom
                        + "' is not warm or scratch");
            };
            if (trainThreads < 0 || retrainMinInteractions < 0 || retrainEpochs < 0 || keepModels < 1
                    || retrainBatchSize < 1 || retrainNumNeg < 1) {
                throw new IllegalArgumentException("--train-threads, --retrain-min-interactions and --retrain-epochs"
                        + " must be >= 0, --keep-models, --retrain-batch-size and --retrain-num-neg >= 1");
            }
            if (!(retrainTolerance >= 0) || Double.isInfinite(retrainTolerance)) {
                throw new IllegalArgumentException("--retrain-tolerance must be a finite number >= 0, got "
                        + retrainTolerance);
            }
            if (!(retrainHoldout > 0 && retrainHoldout < 1)) {
                throw new IllegalArgumentException("--retrain-holdout must be in (0, 1), got " + retrainHoldout);
            }
            dev.clcrec.eval.SelectionCriterion sel;
            try {
                sel = dev.clcrec.eval.SelectionCriterion.parse(selectOn);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--select-on: " + e.getMessage());
            }
            return dev.clcrec.api.RetrainOptions.defaults()
                    .withEvery(retrainEvery == null ? null : DurationText.parse("--retrain-every", retrainEvery))
                    .withMinInteractions(retrainMinInteractions).withTrainThreads(trainThreads).withInit(init)
                    .withTolerance(retrainTolerance).withSelection(sel).withHoldoutShare(retrainHoldout)
                    .withEpochs(retrainEpochs).withKeep(keepModels).withSampling(retrainBatchSize, retrainNumNeg);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be in 0..65535, got " + port);
        }
        if (threads < 0 || maxK < 1 || maxBody < 1 || drainSeconds < 0) {
            throw new ParameterException(spec.commandLine(),
                    "--threads must be >= 0, --max-k and --max-body-bytes >= 1, --drain-seconds >= 0");
        }
        if (snapshotEvery < 1) {
            throw new ParameterException(spec.commandLine(), "--snapshot-every must be >= 1, got " + snapshotEvery);
        }
        dev.clcrec.api.RetrainOptions retrain = retrainOptions();
        RetrievalOptions retrievalOptions;
        try {
            if (efSearch < 1) {
                throw new IllegalArgumentException("--ef-search must be >= 1, got " + efSearch);
            }
            retrievalOptions = RetrievalOptions.of(Retrieval.parse(retrieval, "--retrieval")).withEfSearch(efSearch);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        var err = spec.commandLine().getErr();
        AccessControl access;
        Tls tls;
        try { // before the model loads: a misconfigured deploy fails in a second, naming the flag
            access = security.access(System.getenv(), host, err);
            tls = security.tls(System.getenv(), err);
            security.checkBundleRoot();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Recommender rec = state == null ? Recommender.open(model, Device.CPU, threads, retrievalOptions)
                : Recommender.open(model, Device.CPU, threads, new StateOptions(state, snapshotEvery), retrievalOptions);
        RecommendationServer server;
        try {
            if (retrain != null) {
                rec.configureRetraining(retrain);
                var log = spec.commandLine().getOut();
                rec.onRetrain(o -> { // every decision, whatever the log level
                    log.printf(java.util.Locale.ROOT, "retrain %s (%s, %.1f s, model %s): %s%n", o.outcome().label(),
                            o.trigger(), o.seconds(), rec.modelVersion(), o.reason());
                    log.flush();
                });
            }
            server = RecommendationServer.start(rec, new RecommendationServer.Options(host, port, model, maxBody, maxK,
                    access, security.bundleRoot, tls));
        } catch (RuntimeException e) {
            rec.close();
            throw e;
        }
        KafkaFeed feed = kafkaBootstrap == null ? null : KafkaFeed.start(rec,
                new KafkaFeed.Options(kafkaBootstrap, itemsTopic, interactionsTopic, kafkaGroup));
        var out = spec.commandLine().getOut();
        out.printf("serving %s (model %s, %d items, retrieval %s%s) on %s://%s:%d%n", model, rec.modelVersion(),
                rec.catalogSize(), rec.retrievalInUse(), state == null ? "" : ", state " + state,
                tls == null ? "http" : "https", host, server.port());
        out.flush();
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            boolean clean = server.drain(Duration.ofSeconds(drainSeconds));
            if (feed != null) {
                feed.close();
            }
            rec.close();
            System.out.println(clean ? "drained; bye" : "stopped with requests still in flight");
            System.out.flush();
            // A JVM ended by a signal exits 143; a drained shutdown is a normal one.
            Runtime.getRuntime().halt(clean ? 0 : 1);
        }, "clcrec-drain"));
        forever.await();
        return 0;
    }
}
