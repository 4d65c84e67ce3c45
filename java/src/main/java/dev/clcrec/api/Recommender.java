package dev.clcrec.api;

import dev.clcrec.bundle.BundleManifest;
import dev.clcrec.bundle.BundleReader;
import dev.clcrec.bundle.BundleWriter;
import dev.clcrec.bundle.OpenedBundle;
import dev.clcrec.data.Dataset;
import dev.clcrec.data.IdMapping;
import dev.clcrec.engine.ClcrecModel;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.Device;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.eval.DotProductRanker;
import dev.clcrec.eval.EvalResult;
import dev.clcrec.eval.Evaluator;
import dev.clcrec.eval.FusedRanker;
import dev.clcrec.eval.ModelRanker;
import dev.clcrec.eval.ProfileEvidence;
import dev.clcrec.train.DatasetViews;
import dev.clcrec.train.RunConfig;
import dev.clcrec.train.TrainingListener;
import dev.clcrec.train.TrainingResult;
import dev.clcrec.train.TrainingRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The library entry point for JVM services: train a CLCRec model or open a model bundle, recommend
 * from a live catalog that grows and shrinks while serving, and swap in a retrained model.
 *
 * <pre>{@code
 * try (Recommender rec = Recommender.open(Path.of("out/train/bundle"))) {
 *     rec.addItems(List.of(new NewItem("new-1", Map.of("v", v, "a", a, "t", t))));
 *     List<Recommendation> top = rec.recommend("user-42", 10, ItemFilter.ALL); // may contain new-1
 * }
 * }</pre>
 *
 * <p><b>The catalog.</b> Recommendations rank the model's own items plus every item added with
 * {@link #addItems} (new items are cold-start items: they appear under {@link ItemFilter#ALL} and
 * {@link ItemFilter#COLD}), minus the items taken out with {@link #removeItems}. Each user's training
 * items are never recommended.
 *
 * <p><b>Reload.</b> {@link #reload} swaps in another bundle (a retrained model). Runtime changes are
 * carried over: items added at runtime are re-encoded by the new model from the content they were
 * added with, except ids the new bundle already has (the bundle's version wins, since it was trained
 * with them); ids removed at runtime stay removed even when the new bundle has them. A reload whose
 * model cannot encode the carried items (other modalities or widths) is refused and changes nothing.
 *
 * <p><b>Thread-safety.</b> All methods may be called from any number of threads at once. The catalog
 * is an immutable snapshot behind an atomic reference: {@link #recommend} reads one snapshot and never
 * blocks, while {@link #addItems}, {@link #removeItems} and {@link #reload} are serialised among
 * themselves and publish a new snapshot when done. A model replaced by {@link #reload} is closed
 * at once; {@link #embedNewItems} or {@link #evaluate} racing with a reload may then fail with an
 * IllegalStateException (recommend never does). {@link #close()} must not race with other calls.
 * A Recommender built over a {@link Dataset} does not own it; keep it open while in use.
 */
public final class Recommender implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Recommender.class.getName());

    private final Dataset data;              // null when opened from a bundle
    private final ContentFeatures content;   // the training content, null when opened from a bundle
    private final TrainingResult training;
    private final Device device;
    private final int numThreads;
    private final LiveState live;
    private final Retrainer retrainer;      // null without a state directory

    private Recommender(Dataset data, ContentFeatures content, TrainingResult training, ServingModel model,
                        Device device, int numThreads, RetrievalOptions retrieval) {
        this(data, content, training, model, device, numThreads, null, retrieval, null, null);
    }

    private Recommender(Dataset data, ContentFeatures content, TrainingResult training, ServingModel model,
                        Device device, int numThreads, StateOptions state, RetrievalOptions retrieval,
                        ModelHistory history, Path bundleInForce) {
        this.data = data;
        this.content = content;
        this.training = training;
        this.device = device;
        this.numThreads = numThreads;
        Objects.requireNonNull(retrieval, "retrieval");
        this.live = state == null ? new LiveState(model, retrieval) : new LiveState(model, state, retrieval);
        this.retrainer = history == null ? null
                : new Retrainer(live, history, bundleInForce, b -> fromBundle(b, device, numThreads));
        if (history != null) {
            history.cleanUp();
        }
    }

    private static Recommender overDataset(Dataset data, ContentFeatures content, ClcrecModel model,
                                           TrainingResult training, Device device, int numThreads) {
        return overDataset(data, content, model, training, device, numThreads,
                training == null ? 0 : training.fusionWeight());
    }

    private static Recommender overDataset(Dataset data, ContentFeatures content, ClcrecModel model,
                                           TrainingResult training, Device device, int numThreads,
                                           double fusion) {
        try { // a bad weight, or content without columns to fuse, is refused by the evidence it builds
            List<String> users = data.ids().map(IdMapping::userIds)
                    .orElseGet(() -> denseIds(data.numUser()));
            List<String> items = data.ids().map(IdMapping::itemIds)
                    .orElseGet(() -> denseIds(data.numItem()));
            ServingModel sm = new ServingModel(model, "unversioned", users, items, data.train(),
                    content.modalities().stream().map(FeatureMatrix::name).toList(),
                    content.modalities().stream().mapToLong(FeatureMatrix::cols).toArray(), content.words() != null,
                    fusion, fusion == 0 ? null : ProfileEvidence.of(content));
            return new Recommender(data, content, training, sm, device, numThreads, RetrievalOptions.DEFAULTS);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static List<String> denseIds(int n) {
        return IntStream.range(0, n).mapToObj(Integer::toString).toList();
    }

    /** Trains on {@code data} (all its modalities) and keeps the best epoch's model. */
    public static Recommender train(Dataset data, RunConfig config, TrainingListener listener) throws InterruptedException {
        return train(data, data.content(), config, listener);
    }

    /** Trains on {@code data} with a chosen subset of its content. */
    public static Recommender train(Dataset data, ContentFeatures content, RunConfig config, TrainingListener listener)
            throws InterruptedException {
        return train(data, content, config, listener, dev.clcrec.train.DataParallel.SINGLE);
    }

    /**
     * Trains as one rank of a data-parallel group ({@link dev.clcrec.train.DataParallel#over}); every rank
     * ends with the same model, so each may serve it.
     */
    public static Recommender train(Dataset data, ContentFeatures content, RunConfig config, TrainingListener listener,
                                    dev.clcrec.train.DataParallel parallel) throws InterruptedException {
        TrainingRun.Outcome o = TrainingRun.execute(data, content, config, listener, parallel);
        return overDataset(data, content, o.model(), o.result(), Device.AUTO, 0);
    }

    /** Opens a checkpoint trained on {@code data} (with all its modalities). */
    public static Recommender load(Path checkpoint, Dataset data, Device device, int numThreads) {
        return load(checkpoint, data, data.content(), device, numThreads);
    }

    /** Opens a checkpoint trained on {@code data} with the given subset of its content. */
    public static Recommender load(Path checkpoint, Dataset data, ContentFeatures content, Device device,
                                   int numThreads) {
        return load(checkpoint, data, content, device, numThreads, 0);
    }

    /**
     * As above, serving with content evidence on cold items at {@code fusionWeight} (the weight training
     * chose, {@code results.json}'s {@code content_fusion.weight}; 0: the model alone).
     */
    public static Recommender load(Path checkpoint, Dataset data, ContentFeatures content, Device device,
                                   int numThreads, double fusionWeight) {
        ClcrecModel model = ClcrecModel.load(checkpoint, content, device, 0, numThreads);
        if (model.config().numUser() != data.numUser() || model.config().numItem() != data.numItem()) {
            String msg = checkpoint + " was trained for " + model.config().numUser() + " users and "
                    + model.config().numItem() + " items, but the dataset has " + data.numUser() + " and "
                    + data.numItem();
            model.close();
            throw new IllegalArgumentException(msg);
        }
        return overDataset(data, content, model, null, device, numThreads, fusionWeight);
    }

    /** Opens a model bundle on the CPU with all cores; see {@link #open(Path, Device, int)}. */
    public static Recommender open(Path bundle) {
        return open(bundle, Device.CPU, 0);
    }

    /**
     * Serves a model bundle (written by training, {@link #saveBundle} or {@code clcrec export}) with no
     * dataset present. The bundle is verified first: a corrupt, truncated or mismatched bundle throws
     * {@link dev.clcrec.bundle.BundleFormatException} naming the file.
     */
    public static Recommender open(Path bundle, Device device, int numThreads) {
        return open(bundle, device, numThreads, RetrievalOptions.DEFAULTS);
    }

    /** As {@link #open(Path, Device, int)}, retrieving as {@code retrieval} says (see {@link RetrievalOptions}). */
    public static Recommender open(Path bundle, Device device, int numThreads, RetrievalOptions retrieval) {
        Objects.requireNonNull(retrieval, "retrieval");
        ServingModel sm = fromBundle(bundle, device, numThreads);
        try {
            return new Recommender(null, null, null, sm, device, numThreads, retrieval);
        } catch (RuntimeException e) {
            sm.model.close();
            throw e;
        }
    }

    /**
     * Serves a model bundle and keeps what it is told in a state directory: every added or removed
     * item and every recorded interaction is journaled and on disk before the call returns, and
     * opening the same bundle and directory again (after a restart, a deploy or a crash) gives exactly
     * the state last acknowledged. A damaged journal or snapshot throws
     * {@link dev.clcrec.state.JournalCorruptException} naming the file and offset; a directory in use
     * by another process throws IllegalStateException.
     */
    public static Recommender open(Path bundle, Device device, int numThreads, StateOptions state) {
        return open(bundle, device, numThreads, state, RetrievalOptions.DEFAULTS);
    }

    /**
     * As {@link #open(Path, Device, int, StateOptions)}, retrieving as {@code retrieval} says (see
     * {@link RetrievalOptions}; the graph of each model is stored in the state directory).
     */
    public static Recommender open(Path bundle, Device device, int numThreads, StateOptions state,
                                   RetrievalOptions retrieval) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(retrieval, "retrieval");
        ModelHistory history = new ModelHistory(state.directory(), bundle, RetrainOptions.defaults().keep());
        Path inForce = null;
        ServingModel sm = null;
        RuntimeException first = null;
        for (Path candidate : history.entries()) { // the bundle in force; an earlier one if it cannot load
            try {
                sm = fromBundle(candidate, device, numThreads);
                inForce = candidate;
                break;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "cannot open the bundle in force " + candidate + ": " + e.getMessage());
                first = first == null ? e : first;
            }
        }
        if (sm == null) {
            throw first;
        }
        if (!inForce.equals(bundle.toAbsolutePath().normalize())) {
            LOG.log(System.Logger.Level.INFO, "serving {0}, the bundle in force in {1} (retrained from {2})", inForce,
                    history.directory(), bundle);
        }
        try {
            return new Recommender(null, null, null, sm, device, numThreads, state, retrieval, history, inForce);
        } catch (RuntimeException e) {
            sm.model.close();
            throw e;
        }
    }

    private static ServingModel fromBundle(Path bundle, Device device, int numThreads) {
        OpenedBundle b = BundleReader.open(bundle, device, numThreads);
        try {
            return new ServingModel(b.model(), b.manifest().modelVersion(), b.userIds(), b.itemIds(), b.train(),
                    b.modalities().stream().map(BundleManifest.Modality::name).toList(),
                    b.modalities().stream().mapToLong(BundleManifest.Modality::width).toArray(), b.wordText(),
                    b.fusionWeight(), b.evidence());
        } catch (RuntimeException e) {
            b.model().close();
            throw e;
        }
    }

    /**
     * Writes a self-contained bundle of this model to {@code dir} (see {@link BundleWriter}). Only for a
     * Recommender trained or loaded over a dataset; items added at runtime are not part of it.
     */
    public BundleManifest saveBundle(Path dir) {
        if (data == null) {
            throw new IllegalStateException("this Recommender was opened from a bundle; copy that bundle instead");
        }
        ServingModel m = live.catalog().model;
        return BundleWriter.write(dir, m.model, content, data.name(), m.userIds, m.itemIds, m.train, m.fusionWeight());
    }

    /**
     * The current model (shared; do not close it). It is replaced (and closed) by {@link #reload}; the
     * Recommender caches its user embeddings and item representations, so changing the model through
     * this handle needs a new Recommender.
     */
    public ClcrecModel model() {
        return live.catalog().model.model;
    }

    /** What training did, when this Recommender was trained rather than loaded. */
    public Optional<TrainingResult> training() {
        return Optional.ofNullable(training);
    }

    /** The model's version: the bundle's checkpoint fingerprint, or "unversioned" over a dataset. */
    public String modelVersion() {
        return live.catalog().model.version;
    }

    /** Number of items that can be recommended now (the model's, plus added, minus removed). */
    /**
     * How recommendations are retrieved now: {@code exact}, {@code hnsw}, or {@code exact (graph building)}
     * while the graph of a catalog that should use one is being built.
     */
    public String retrievalInUse() {
        return live.retrievalInUse();
    }

    /**
     * While requests go through the HNSW graph: the share of the exact top-k items its answers held,
     * averaged over the last 256 sampled requests (one a second at most, re-answered by the exact scan
     * on a background thread). NaN before the first sample, and with the exact scan.
     */
    public double retrievalRecall() {
        return live.retrievalRecall();
    }

    public int catalogSize() {
        return live.catalog().liveCount();
    }

    /** Number of users the model knows. */
    public int numUsers() {
        return live.catalog().model.numUser;
    }

    /** The content modalities (name to width, in encoder order) that new items must bring. */
    public Map<String, Long> modalities() {
        ServingModel m = live.catalog().model;
        var out = new java.util.LinkedHashMap<String, Long>();
        for (int i = 0; i < m.modalityNames.size(); i++) {
            out.put(m.modalityNames.get(i), m.modalityWidths[i]);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** Whether {@code itemId} can be recommended now. */
    public boolean containsItem(String itemId) {
        return live.catalog().contains(itemId);
    }

    public void save(Path checkpoint) {
        model().save(checkpoint);
    }

    /**
     * Full-ranking evaluation of the model's own items over the dataset's splits (dataset-backed only),
     * ranked as they are served: with the content evidence on cold items when the model fuses it.
     */
    public EvalResult evaluate(int[] ks, int blockSize) {
        if (data == null) {
            throw new IllegalStateException("this Recommender was opened from a bundle, which holds no held-out data");
        }
        ServingModel m = live.catalog().model;
        try (Evaluator ev = DatasetViews.evaluator(data, ks, blockSize)) {
            if (m.evidence == null) {
                return ev.evaluate(new ModelRanker(m.model));
            }
            return ev.evaluate(new FusedRanker(new DotProductRanker(m.users, m.items, m.dimE), m.numWarmItem,
                    m.evidence.ranker(DatasetViews.sets(data.train())), m.fusionWeight()));
        }
    }

    /** The weight of content evidence on new items this Recommender serves with (0: the model alone). */
    public double contentFusionWeight() {
        return live.catalog().model.fusionWeight();
    }

    /** Dense id of an external user id (the dense id as text when the dataset has no id mapping). */
    public int userIndex(String userId) {
        return live.catalog().model.user(userId);
    }

    /**
     * Top-{@code k} items for a user given by external id: a model user, or a user folded in from
     * interactions recorded while serving. Items the user interacted with (in training or recorded)
     * are never recommended. A user with no interaction at all throws {@link CatalogException}
     * ({@code UNKNOWN_USER}); {@link #recommendations} answers them with popular items instead.
     */
    public List<Recommendation> recommend(String userId, int k, ItemFilter filter) {
        checkK(k);
        Objects.requireNonNull(filter, "filter");
        Catalog c = live.catalog();
        if (!c.model.userIndex.containsKey(userId) && !live.hasHistory(userId)) {
            c.model.user(userId); // throws UNKNOWN_USER naming the id
        }
        return live.recommend(userId, k, filter).items();
    }

    /**
     * Top-{@code k} items for any user id, saying what they rest on: the model's embedding for a
     * model user, an embedding folded in from their recorded interactions for a new user (fitted
     * natively with the model's user-item loss on their first use after each new interaction), or,
     * for a user with no interaction at all, the items with the most interactions
     * ({@link Recommendations.Basis#POPULAR}). Never blocks on catalog changes.
     */
    public Recommendations recommendations(String userId, int k, ItemFilter filter) {
        Objects.requireNonNull(userId, "userId");
        checkK(k);
        Objects.requireNonNull(filter, "filter");
        return live.recommend(userId, k, filter);
    }

    /**
     * Top-{@code k} items of the current catalog for dense user {@code user}, best first, excluding the
     * items it interacted with in training or while serving, restricted by {@code filter}. Fewer than
     * k come back when fewer items qualify. Never blocks on catalog changes.
     */
    public List<Recommendation> recommend(int user, int k, ItemFilter filter) {
        Catalog c = live.catalog();
        checkUser(c.model, user);
        checkK(k);
        Objects.requireNonNull(filter, "filter");
        return live.recommend(c, user, k, filter);
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new CatalogException(CatalogException.Kind.BAD_ARGUMENT, "k", "k must be >= 1, got " + k);
        }
    }

    /**
     * Records what users did: each entry's item must be in the catalog (else that entry alone is
     * refused, {@code unknown_item}); a user id the model does not know creates a new user, folded in
     * from their interactions. A recorded item is excluded from the user's recommendations at once.
     * All accepted entries are journaled as one change, durable before this returns.
     */
    public List<InteractionOutcome> recordInteractions(List<dev.clcrec.state.Interaction> interactions) {
        Objects.requireNonNull(interactions, "interactions");
        if (interactions.isEmpty()) {
            return List.of();
        }
        return live.recordInteractions(interactions);
    }

    /** The items of a user's interactions recorded while serving, oldest first (empty if none). */
    public List<String> recordedItems(String userId) {
        return live.recordedItems(userId);
    }

    /** Number of users with interactions recorded while serving. */
    public int usersWithRecordedInteractions() {
        return live.usersWithHistory();
    }

    /**
     * Writes the whole live state (added items with their content, removed items, recorded
     * interactions) as a new snapshot in the state directory and starts a fresh journal; changes
     * go on meanwhile. Also done automatically every {@link StateOptions#snapshotEvery} records.
     *
     * @throws IllegalStateException when this Recommender has no state directory
     */
    public dev.clcrec.state.StateDirectory.SnapshotInfo snapshot() {
        return live.snapshot();
    }

    /**
     * Applies events consumed from a feed (a Kafka topic shared by replicas) together with the feed
     * positions after them, as one change: journaled and durable before this returns when there is a
     * state directory, so a restart resumes at {@link #feedPositions()} with nothing applied twice.
     * Applied leniently, so that replicas converge whatever the interleaving of topics: an added id
     * already present or an item the model cannot encode is skipped (with a warning), a removal of an
     * absent id is skipped, and interactions are recorded even before their item arrives.
     */
    public void applyFeed(dev.clcrec.state.StateEvent.FeedBatch batch) {
        Objects.requireNonNull(batch, "batch");
        live.applyFeed(batch);
    }

    /**
     * Makes this Recommender a replica of a feed: from now on {@link #addItems}, {@link #removeItems}
     * and {@link #recordInteractions} are refused ({@code FOLLOWS_FEED}, naming {@code feed}), since a
     * change made here alone would make the replicas diverge; {@link #applyFeed} is the only writer.
     */
    public void followFeed(String feed) {
        live.followFeed(Objects.requireNonNull(feed, "feed"));
    }

    /** The feed positions this state includes ("topic:partition" to the next offset); empty if none. */
    public Map<String, Long> feedPositions() {
        return live.feedPositions();
    }

    /** Whether changes are journaled to a state directory. */
    public boolean durable() {
        return live.durable();
    }

    /** Journal records since the last snapshot (0 without a state directory). */
    public long journalRecordsSinceSnapshot() {
        return live.journalRecordsSinceSnapshot();
    }

    /** Adds new items from a content matrix: row r of every modality (and word pairs of item r) is ids[r]. */
    public void addItems(List<String> ids, ContentFeatures content) {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(content, "content");
        if (content.rows() >= 0 && content.rows() != ids.size()) {
            throw new CatalogException(CatalogException.Kind.BAD_FEATURES, "features", "content has "
                    + content.rows() + " rows for " + ids.size() + " ids");
        }
        List<NewItem> items = new ArrayList<>();
        for (int r = 0; r < ids.size(); r++) {
            Map<String, float[]> f = new java.util.LinkedHashMap<>();
            for (FeatureMatrix m : content.modalities()) {
                float[] v = new float[(int) m.cols()];
                java.lang.foreign.MemorySegment.copy(m.data(), java.lang.foreign.ValueLayout.JAVA_FLOAT,
                        (long) r * m.cols() * Float.BYTES, v, 0, v.length);
                f.put(m.name(), v);
            }
            int[] words = null;
            if (content.words() != null) {
                var w = content.words();
                List<Integer> mine = new ArrayList<>();
                for (long p = 0; p < w.count(); p++) {
                    if (w.pairs().getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, p) == r) {
                        mine.add((int) w.pairs().getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, w.count() + p));
                    }
                }
                words = mine.stream().mapToInt(Integer::intValue).toArray();
            }
            items.add(new NewItem(ids.get(r), f, words));
        }
        addItems(items);
    }

    /**
     * Encodes the items from their content and makes them recommendable to every user at once, next to
     * the existing items, as cold-start items. All or nothing: a bad item (id already in the catalog,
     * repeated or outside {@link IdRules}, missing or extra modality, wrong width, non-finite value)
     * rejects the whole call with a {@link CatalogException} naming the field.
     */
    public void addItems(List<NewItem> items) {
        Objects.requireNonNull(items, "items");
        if (items.isEmpty()) {
            return;
        }
        live.addItems(items);
    }

    /** Takes items out of the catalog at once; all ids must be present (else nothing changes). */
    public void removeItems(List<String> ids) {
        Objects.requireNonNull(ids, "ids");
        if (ids.isEmpty()) {
            return;
        }
        live.removeItems(ids);
    }

    /**
     * Swaps in the model of another bundle (e.g. retrained) without interrupting recommendations; see
     * the class comment for what happens to runtime-added and removed items. On any failure the
     * current model keeps serving.
     */
    public void reload(Path bundle) {
        ServingModel next = fromBundle(bundle, device, numThreads);
        ServingModel old;
        try {
            old = live.reload(next);
        } catch (RuntimeException e) {
            next.model.close();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "reloaded {0}", bundle);
        if (retrainer != null) {
            retrainer.reloaded(bundle);
        }
        old.model.close();
    }

    // ---- retraining in the serving process ---------------------------------------------------------

    /**
     * Sets how this Recommender retrains itself (and starts the schedule when {@link RetrainOptions#every}
     * is set). Needs a state directory: candidates and the history of bundles live there.
     */
    public void configureRetraining(RetrainOptions options) {
        Objects.requireNonNull(options, "options");
        requireRetrainer().configure(options);
    }

    /**
     * Retrains now, in the calling thread, over the bundle in force plus everything recorded since
     * (see {@link Retrainer}): the candidate swaps in only if the gate passes it. Recommendations and
     * recorded interactions go on meanwhile. Returns what was decided; never throws for a failed
     * training (the outcome says FAILED and the serving model stays).
     */
    public RetrainOutcome retrain() {
        return requireRetrainer().retrain("request");
    }

    /** Returns to the bundle in force before the current one (durably), or throws when there is none. */
    public RetrainOutcome rollback() {
        return requireRetrainer().rollback();
    }

    /** Called after every retrain and rollback, in the thread that ran it. */
    public void onRetrain(java.util.function.Consumer<RetrainOutcome> listener) {
        requireRetrainer().addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Whether this Recommender can retrain itself (it has a state directory). */
    public boolean canRetrain() {
        return retrainer != null;
    }

    /** Since when the current model serves (open, reload, swap or rollback). */
    public java.time.Instant modelSince() {
        return retrainer == null ? opened : retrainer.modelSince();
    }

    /** Interactions recorded while serving and not yet trained on (0 without a state directory). */
    public int untrainedInteractions() {
        return retrainer == null ? 0 : retrainer.newInteractions();
    }

    private final java.time.Instant opened = java.time.Instant.now();

    private Retrainer requireRetrainer() {
        if (retrainer == null) {
            throw new IllegalStateException("retraining needs a state directory (open with StateOptions)");
        }
        return retrainer;
    }

    /**
     * Representations of new items from their content alone (the encoder), {@code numRows x dimE}
     * row-major: the same modalities and widths as the training content.
     */
    public float[] embedNewItems(long numRows, ContentFeatures features) {
        return model().encode(numRows, features);
    }

    /**
     * Ranks new items, given their representations from {@link #embedNewItems}, for a user: the
     * top-{@code k} rows by score. Usable as soon as the items are embedded, without retraining (to
     * rank them next to the existing items, use {@link #addItems} instead).
     */
    public List<Recommendation> recommendNewItems(int user, float[] itemEmbeddings, int k) {
        ServingModel m = live.catalog().model;
        checkUser(m, user);
        Objects.requireNonNull(itemEmbeddings, "itemEmbeddings");
        if (k < 1) {
            throw new IllegalArgumentException("k must be >= 1, got " + k);
        }
        int dimE = m.dimE;
        if (itemEmbeddings.length % dimE != 0) {
            throw new IllegalArgumentException("item embeddings are not a whole number of rows of width " + dimE);
        }
        int rows = itemEmbeddings.length / dimE;
        Integer[] order = new Integer[rows];
        float[] scores = new float[rows];
        for (int r = 0; r < rows; r++) {
            order[r] = r;
            float s = 0;
            for (int d = 0; d < dimE; d++) {
                s += m.users[user * dimE + d] * itemEmbeddings[r * dimE + d];
            }
            scores[r] = s;
        }
        Arrays.sort(order, (x, y) -> scores[x] != scores[y] ? Float.compare(scores[y], scores[x]) : Integer.compare(x, y));
        List<Recommendation> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, rows); i++) {
            out.add(new Recommendation(order[i], "new:" + order[i], scores[order[i]]));
        }
        return out;
    }

    private static void checkUser(ServingModel m, int user) {
        if (user < 0 || user >= m.numUser) {
            throw new CatalogException(CatalogException.Kind.UNKNOWN_USER, "user", "user " + user + " outside 0.."
                    + (m.numUser - 1));
        }
    }

    /** Frees the model (not the dataset); idempotent. */
    @Override
    public void close() {
        if (retrainer != null) {
            retrainer.close();
        }
        try {
            live.close();
        } finally {
            live.catalog().model.model.close();
        }
    }
}
