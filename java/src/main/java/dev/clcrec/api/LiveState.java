package dev.clcrec.api;

import dev.clcrec.engine.UserFoldIn;
import dev.clcrec.eval.EvidenceRow;
import dev.clcrec.retrieval.HnswIndex;
import dev.clcrec.state.Interaction;
import dev.clcrec.state.ItemContent;
import dev.clcrec.state.StateDirectory;
import dev.clcrec.state.StateEvent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one owner of what a serving {@link Recommender} is told: the live catalog, the users'
 * recorded interactions, and (when durable) the state directory that journals both. Every change
 * is validated, journaled, applied and published under one write lock, in that order, so the
 * journal's order is the order of the changes; the caller is answered only after the journal
 * record is on disk (outside the lock, so concurrent writers share an fsync). Readers never take a
 * lock: they read one published {@link Catalog} and one user's immutable {@link UserHistory}.
 *
 * <p>A change may be visible to readers a moment before it is acknowledged; once acknowledged it
 * survives any crash. After a failed journal write or fsync every later change is refused (reads go
 * on): what reached the disk is no longer known, and a restart recovers it.
 */
final class LiveState implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveState.class.getName());
    private static final int ITEMS_PER_SNAPSHOT_RECORD = 1000;
    private static final int INTERACTIONS_PER_SNAPSHOT_RECORD = 10_000;

    private final AtomicReference<Catalog> catalog;
    private final ConcurrentHashMap<String, UserHistory> users = new ConcurrentHashMap<>();
    private final List<Interaction> log = new ArrayList<>();      // guarded by writes
    private final Map<String, Long> feedPositions = new java.util.TreeMap<>(); // guarded by writes
    private volatile PopularItems popular;
    private final ReentrantLock writes = new ReentrantLock();
    private final ReentrantLock snapshots = new ReentrantLock();
    private final StateDirectory state;                            // null: in memory only
    private final long snapshotEvery;
    private final ExecutorService snapshotter;
    private final AtomicBoolean snapshotPending = new AtomicBoolean();
    private volatile String followedFeed;                          // non-null: a replica, local changes refused
    private final CatalogIndexer indexer;
    private final RecallMonitor recall = new RecallMonitor();
    /** False while the constructor replays the journal: no background build may start under the replay. */
    private volatile boolean recovered;

    /** In memory only. */
    LiveState(ServingModel model, RetrievalOptions retrieval) {
        this.indexer = new CatalogIndexer(retrieval, null, this::attachIndex);
        this.catalog = new AtomicReference<>(Catalog.of(model));
        this.popular = new PopularItems(model);
        this.state = null;
        this.snapshotEvery = Long.MAX_VALUE;
        this.snapshotter = null;
        recovered = true;
        indexer.changed(catalog.get());
    }

    /** Durable: recovers the state directory over {@code model} (the bundle's model). */
    LiveState(ServingModel model, StateOptions options, RetrievalOptions retrieval) {
        this.indexer = new CatalogIndexer(retrieval, options.directory(), this::attachIndex);
        Catalog initial = Catalog.of(model);
        HnswIndex stored = indexer.stored(model); // before the replay, which then adds to it
        if (stored != null) {
            initial.store.attach(stored);
        }
        this.catalog = new AtomicReference<>(initial);
        this.popular = new PopularItems(model);
        this.snapshotEvery = options.snapshotEvery();
        long t0 = System.nanoTime();
        try {
            this.state = StateDirectory.open(options.directory(), this::replay);
        } catch (RuntimeException e) {
            indexer.close();
            throw e;
        }
        this.snapshotter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "clcrec-snapshot");
            t.setDaemon(true);
            return t;
        });
        LOG.log(System.Logger.Level.INFO, "recovered {0} in {1} ms: {2} items, {3} users with interactions",
                options.directory(), (System.nanoTime() - t0) / 1_000_000, catalog.get().liveCount(), users.size());
        writes.lock();
        try {
            recovered = true;
            indexer.changed(catalog.get());
        } finally {
            writes.unlock();
        }
    }

    /** Publishes a changed catalog to readers (by the writer): and, when it needs a graph, starts one. */
    private void publish(Catalog c) {
        catalog.set(c);
        if (recovered) {
            indexer.changed(c);
        }
    }

    /** Attaches a graph built in the background, caught up under the write lock, unless its store was replaced. */
    private void attachIndex(ItemStore store, HnswIndex index) {
        writes.lock();
        try {
            if (catalog.get().store == store) {
                store.attach(index);
                LOG.log(System.Logger.Level.INFO, "HNSW graph in use: {0} rows", index.size());
            }
        } finally {
            writes.unlock();
        }
    }

    /**
     * The catalog's top k for a user vector: through its graph when it has one and serves this size.
     * With content evidence ({@code fusion} not null) the cold rows' scores are not the graph's inner
     * products, so the graph finds the warm rows and the cold rows are scanned (a scan visits only the
     * blocks that hold cold rows).
     */
    private List<Recommendation> rank(Catalog c, float[] user, int offset, int[] excluded, int k, ItemFilter filter,
                                      Catalog.ColdFusion fusion) {
        HnswIndex index = c.store.index();
        if (fusion != null && filter != ItemFilter.WARM) {
            if (index == null || !indexer.serves(c)) {
                return c.recommend(user, offset, excluded, k, filter, fusion);
            }
            List<Recommendation> cold = c.recommend(user, offset, excluded, k, ItemFilter.COLD, fusion);
            List<Recommendation> served = filter == ItemFilter.COLD ? cold : top(k, cold,
                    c.recommendIndexed(index, indexer.options().hnsw().efSearch(), user, offset, excluded, k,
                            ItemFilter.WARM));
            recall.offer(served, () -> c.recommend(user, offset, excluded, k, filter, fusion));
            return served;
        }
        if (index != null && indexer.serves(c)) {
            List<Recommendation> served =
                    c.recommendIndexed(index, indexer.options().hnsw().efSearch(), user, offset, excluded, k, filter);
            recall.offer(served, () -> c.recommend(user, offset, excluded, k, filter));
            return served;
        }
        return c.recommend(user, offset, excluded, k, filter);
    }

    /** The best k of two lists, each best first: by score, ties to the lower dense id (as the scan orders). */
    private static List<Recommendation> top(int k, List<Recommendation> a, List<Recommendation> b) {
        List<Recommendation> out = new ArrayList<>(Math.min(k, a.size() + b.size()));
        int i = 0;
        int j = 0;
        while (out.size() < k && (i < a.size() || j < b.size())) {
            boolean takeA = j == b.size() || (i < a.size() && (a.get(i).score() > b.get(j).score()
                    || (a.get(i).score() == b.get(j).score() && a.get(i).item() < b.get(j).item())));
            out.add(takeA ? a.get(i++) : b.get(j++));
        }
        return out;
    }

    /** The graph's recall against the exact scan over recently sampled requests; NaN before any. */
    double retrievalRecall() {
        return recall.recall();
    }

    /** How requests are answered now: "exact", "hnsw", or "exact (graph building)". */
    String retrievalInUse() {
        Catalog c = catalog.get();
        if (!indexer.serves(c)) {
            return "exact";
        }
        return c.store.index() != null ? "hnsw" : "exact (graph building)";
    }

    Catalog catalog() {
        return catalog.get();
    }

    boolean durable() {
        return state != null;
    }

    // ---- reads -------------------------------------------------------------------------------

    Recommendations recommend(String userId, int k, ItemFilter filter) {
        Catalog c = catalog.get();
        UserHistory h = userId == null ? null : users.get(userId);
        int[] recorded = h == null ? new int[0] : rowsOf(c, h.items());
        Integer modelUser = userId == null ? null : c.model.userIndex.get(userId);
        if (modelUser != null) {
            int[] training = c.trainingRows(modelUser);
            int offset = modelUser * c.model.dimE;
            return new Recommendations(userId, Recommendations.Basis.MODEL, c.model.version,
                    rank(c, c.model.users, offset, merge(training, recorded), k, filter,
                            fusionFor(c, c.model.users, offset, modelUser, training, recorded)));
        }
        float[] v = h == null ? null : vectorFor(c, h);
        if (v != null) {
            return new Recommendations(userId, Recommendations.Basis.FOLD_IN, c.model.version,
                    rank(c, v, 0, recorded, k, filter, fusionFor(c, v, 0, -1, new int[0], recorded)));
        }
        return new Recommendations(userId, Recommendations.Basis.POPULAR, c.model.version,
                popular(c, recorded, k, filter));
    }

    /** Recommendations for a model user given by dense id (training and recorded items excluded). */
    List<Recommendation> recommend(Catalog c, int user, int k, ItemFilter filter) {
        UserHistory h = users.get(c.model.userIds.get(user));
        int[] training = c.trainingRows(user);
        int[] recorded = h == null ? new int[0] : rowsOf(c, h.items());
        int offset = user * c.model.dimE;
        return rank(c, c.model.users, offset, merge(training, recorded), k, filter,
                fusionFor(c, c.model.users, offset, user, training, recorded));
    }

    /**
     * A user's content evidence on cold rows, or null when the model does not fuse (or the user has
     * no items to build a profile from). The profile is the mean evidence vector of the model user's
     * training items (all of them, in training order, as the evaluator sums them when the weight is
     * chosen) and of its recorded items that are not among them.
     *
     * @param modelUser    the model user's dense id, or -1 for a folded-in user
     * @param trainingRows the model user's training rows still in the catalog, ascending
     * @param recorded     the rows of the user's recorded items, ascending
     */
    private static Catalog.ColdFusion fusionFor(Catalog c, float[] user, int offset, int modelUser,
                                               int[] trainingRows, int[] recorded) {
        ContentEvidence ev = c.model.evidence;
        if (ev == null) {
            return null;
        }
        var train = c.model.train;
        int from = modelUser < 0 ? 0 : (int) train.offsets()[modelUser];
        int to = modelUser < 0 ? 0 : (int) train.offsets()[modelUser + 1];
        if (modelUser >= 0 && recorded.length == 0) {
            return ev.forModelUser(modelUser, user, c.model.dimE, train);
        }
        // The model's items by dense id (their vectors are the model's), items added at runtime by vector.
        int[] modelItems = new int[to - from + recorded.length];
        System.arraycopy(train.columns(), from, modelItems, 0, to - from);
        int n = to - from;
        List<EvidenceRow> added = new ArrayList<>();
        int previous = -1;
        for (int row : recorded) {
            if (row != previous && Arrays.binarySearch(trainingRows, row) < 0) {
                EvidenceRow v = c.addedEvidence(row);
                if (v == null) {
                    modelItems[n++] = c.dense(row);
                } else {
                    added.add(v);
                }
            }
            previous = row;
        }
        return ev.forUser(user, offset, modelItems, 0, n, added);
    }

    /** Whether a user has recorded interactions (a model user or not). */
    boolean hasHistory(String userId) {
        return users.containsKey(userId);
    }

    /** The items of a user's recorded interactions, oldest first. */
    List<String> recordedItems(String userId) {
        UserHistory h = users.get(userId);
        return h == null ? List.of() : h.items();
    }

    /** The catalog and every recorded interaction (oldest first) as of one instant: what a retrain trains on. */
    record View(Catalog catalog, List<Interaction> interactions) {}

    View view() {
        writes.lock();
        try {
            return new View(catalog.get(), List.copyOf(log));
        } finally {
            writes.unlock();
        }
    }

    int usersWithHistory() {
        return users.size();
    }

    /**
     * A new user's embedding: the cached one while the model and the positives it was fitted on are
     * unchanged, else fitted now (and cached unless the user's history moved on meanwhile). So the
     * embedding always equals a fit on the current state, whatever was read when: a restart serves
     * the same lists.
     */
    private float[] vectorFor(Catalog c, UserHistory h) {
        List<String> positives = FoldIns.positives(c, h);
        if (positives.isEmpty()) {
            return null;
        }
        if (h.vector() != null && h.fittedFor() == c.model && h.fittedOn().equals(positives)) {
            return h.vector();
        }
        float[] v = FoldIns.fit(c, UserFoldIn.forModel(c.model.model.config()), h.id(), positives);
        users.computeIfPresent(h.id(), (id, cur) -> cur.items() == h.items() ? cur.withVector(v, c.model, positives)
                : cur);
        return v;
    }

    private List<Recommendation> popular(Catalog c, int[] excluded, int k, ItemFilter filter) {
        PopularItems p = popular;
        for (int want = k + excluded.length; ; want = c.liveCount()) {
            PopularItems.Ranking r = p.ranking(c, want);
            List<Recommendation> out = new ArrayList<>(k);
            for (int i = 0; i < r.rows().length && out.size() < k; i++) {
                int row = r.rows()[i];
                if (!c.alive(row) || Arrays.binarySearch(excluded, row) >= 0
                        || (filter == ItemFilter.WARM && c.cold(row)) || (filter == ItemFilter.COLD && !c.cold(row))) {
                    continue;
                }
                out.add(new Recommendation(c.dense(row), c.id(row), r.counts()[i]));
            }
            if (out.size() == k || r.rows().length >= c.liveCount() || want >= c.liveCount()) {
                return out;
            }
        }
    }

    private static int[] rowsOf(Catalog c, List<String> ids) {
        int[] rows = new int[ids.size()];
        int m = 0;
        for (String id : ids) {
            int row = c.rowOf(id);
            if (row >= 0) {
                rows[m++] = row;
            }
        }
        rows = Arrays.copyOf(rows, m);
        Arrays.sort(rows);
        return rows;
    }

    private static int[] merge(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        Arrays.sort(out);
        return out;
    }

    // ---- changes -----------------------------------------------------------------------------

    void followFeed(String feed) {
        followedFeed = feed;
    }

    private void refuseIfReplica(String field) {
        String feed = followedFeed;
        if (feed != null) {
            throw new CatalogException(CatalogException.Kind.FOLLOWS_FEED, field, "this replica follows " + feed
                    + "; send changes there, so that every replica applies them");
        }
    }

    void addItems(List<NewItem> items) {
        refuseIfReplica("items");
        StateDirectory.Receipt receipt;
        writes.lock();
        try {
            Catalog c = catalog.get();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                NewItem it = items.get(i);
                IdRules.checkItemId(it.id(), "items[" + i + "].id");
                if (c.contains(it.id()) || !seen.add(it.id())) {
                    throw new CatalogException(CatalogException.Kind.DUPLICATE_ITEM, "id", "item id '" + it.id()
                            + "' is already in the catalog");
                }
                c.model.checkContent(it, i);
            }
            float[] encoded = c.model.encodeEach(items);
            List<ItemContent> contents = items.stream()
                    .map(it -> new ItemContent(it.id(), it.features(), it.words())).toList();
            receipt = journal(new StateEvent.ItemsAdded(contents));
            publish(withAdded(c, contents, encoded));
        } finally {
            writes.unlock();
        }
        acknowledge(receipt);
    }

    void removeItems(List<String> ids) {
        refuseIfReplica("id");
        StateDirectory.Receipt receipt;
        writes.lock();
        try {
            Catalog c = catalog.get();
            Set<String> unique = new HashSet<>();
            for (String id : ids) {
                if (!c.contains(id) || !unique.add(id)) {
                    throw new CatalogException(CatalogException.Kind.UNKNOWN_ITEM, "id", "unknown item id '" + id + "'");
                }
            }
            receipt = journal(new StateEvent.ItemsRemoved(ids));
            publish(without(c, ids));
        } finally {
            writes.unlock();
        }
        acknowledge(receipt);
    }

    List<InteractionOutcome> recordInteractions(List<Interaction> interactions) {
        refuseIfReplica("interactions");
        for (int i = 0; i < interactions.size(); i++) {
            Interaction x = interactions.get(i);
            IdRules.checkUserId(x.user(), "interactions[" + i + "].user");
        }
        List<InteractionOutcome> outcomes = new ArrayList<>(interactions.size());
        List<Interaction> accepted = new ArrayList<>();
        StateDirectory.Receipt receipt = null;
        writes.lock();
        try {
            Catalog c = catalog.get();
            for (int i = 0; i < interactions.size(); i++) {
                Interaction x = interactions.get(i);
                if (c.contains(x.item())) {
                    accepted.add(x);
                    outcomes.add(InteractionOutcome.ok(i));
                } else {
                    outcomes.add(new InteractionOutcome(i, false, "unknown_item", "interactions[" + i + "].item: unknown"
                            + " item id '" + x.item() + "'"));
                }
            }
            if (!accepted.isEmpty()) {
                receipt = journal(new StateEvent.InteractionsRecorded(accepted));
                applyInteractions(accepted);
            }
        } finally {
            writes.unlock();
        }
        acknowledge(receipt);
        // New users touched here are fitted on their next read (lazily, about a millisecond), not on
        // the write path: writers pay the fsync only.
        return outcomes;
    }

    /**
     * Swaps in another model: runtime changes are carried over (see {@link Recommender#reload}).
     * Returns the model replaced, for the caller to close.
     */
    ServingModel reload(ServingModel next) {
        // the new model's graph first, outside the lock: requests and writes go on meanwhile, and the
        // swap never leaves a large catalog on the exact scan
        HnswIndex index = indexer.forSwap(next, catalog.get().liveCount());
        writes.lock();
        try {
            Catalog old = catalog.get();
            Catalog c = Catalog.of(next);
            if (index != null) {
                c.store.attach(index);
            }
            List<ItemContent> added = old.addedItems();
            Set<String> addedIds = new HashSet<>();
            added.forEach(it -> addedIds.add(it.id()));
            List<ItemContent> carried = new ArrayList<>();
            for (ItemContent it : added) {
                if (!c.contains(it.id())) {
                    carried.add(it);
                }
            }
            if (!carried.isEmpty()) {
                List<NewItem> asNew = carried.stream().map(it -> new NewItem(it.id(), it.features(), it.words())).toList();
                for (int i = 0; i < asNew.size(); i++) {
                    next.checkContent(asNew.get(i), i);
                }
                c = withAdded(c, carried, next.encodeEach(asNew));
            }
            List<String> gone = new ArrayList<>();
            for (String id : old.removedModelItems()) {
                if (!addedIds.contains(id) && c.contains(id)) {
                    gone.add(id);
                }
            }
            if (!gone.isEmpty()) {
                c = without(c, gone);
            }
            PopularItems p = new PopularItems(next);
            log.forEach(x -> p.record(x.item()));
            popular = p;
            publish(c);
            LOG.log(System.Logger.Level.INFO, "model {0}: {1} items carried over, {2} removed", next.version,
                    carried.size(), gone.size());
            return old.model;
        } finally {
            writes.unlock();
        }
    }

    /** Writes a snapshot of the whole state now; see {@link Recommender#snapshot}. */
    StateDirectory.SnapshotInfo snapshot() {
        if (state == null) {
            throw new IllegalStateException("this Recommender has no state directory");
        }
        snapshots.lock();
        try {
            StateDirectory.Rotation rotation;
            Catalog c;
            List<Interaction> interactions;
            Map<String, Long> positions;
            writes.lock();
            try {
                rotation = state.beginSnapshot();
                c = catalog.get();
                interactions = List.copyOf(log);
                positions = Map.copyOf(feedPositions);
            } finally {
                writes.unlock();
            }
            List<StateEvent> events = new ArrayList<>();
            List<String> removed = c.removedModelItems();
            if (!removed.isEmpty()) {
                events.add(new StateEvent.ItemsRemoved(removed));
            }
            List<ItemContent> added = c.addedItems();
            for (int i = 0; i < added.size(); i += ITEMS_PER_SNAPSHOT_RECORD) {
                events.add(new StateEvent.ItemsAdded(added.subList(i, Math.min(added.size(), i + ITEMS_PER_SNAPSHOT_RECORD))));
            }
            for (int i = 0; i < interactions.size(); i += INTERACTIONS_PER_SNAPSHOT_RECORD) {
                events.add(new StateEvent.InteractionsRecorded(interactions.subList(i,
                        Math.min(interactions.size(), i + INTERACTIONS_PER_SNAPSHOT_RECORD))));
            }
            if (!positions.isEmpty()) {
                events.add(new StateEvent.FeedBatch(positions, List.of()));
            }
            return state.completeSnapshot(rotation, events);
        } finally {
            snapshots.unlock();
        }
    }

    long journalRecordsSinceSnapshot() {
        return state == null ? 0 : state.recordsSinceSnapshot();
    }

    private StateDirectory.Receipt journal(StateEvent event) {
        return state == null ? null : state.append(event);
    }

    private void acknowledge(StateDirectory.Receipt receipt) {
        if (receipt == null) {
            return;
        }
        state.awaitDurable(receipt);
        if (state.recordsSinceSnapshot() >= snapshotEvery && snapshotPending.compareAndSet(false, true)) {
            snapshotter.execute(() -> {
                try {
                    snapshot();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "automatic snapshot failed; the journal keeps everything", e);
                } finally {
                    snapshotPending.set(false);
                }
            });
        }
    }

    // ---- applying events (live and replayed) --------------------------------------------------

    /** Applies a recovered event; lenient where the bundle changed since it was journaled. */
    private void replay(StateEvent event) {
        if (event instanceof StateEvent.FeedBatch f) {
            applyFeedEvents(f);
        } else {
            applyLeniently(event, false);
        }
    }

    /**
     * Applies an event that was accepted elsewhere (journaled earlier, or published to a feed):
     * an added id already present is skipped (the bundle wins), a removal of an absent id is skipped,
     * interactions are recorded whether or not their items are here yet. Items the model cannot
     * encode are refused when replaying this service's own journal (the bundle changed under it), and
     * skipped with a warning when they come from a feed (another producer's mistake must not stop
     * every replica).
     */
    private void applyLeniently(StateEvent event, boolean skipInvalidItems) {
        Catalog c = catalog.get();
        switch (event) {
            case StateEvent.ItemsAdded a -> {
                List<ItemContent> fresh = new ArrayList<>();
                List<NewItem> asNew = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (ItemContent it : a.items()) {
                    if (c.contains(it.id()) || !seen.add(it.id())) {
                        continue;
                    }
                    NewItem n = new NewItem(it.id(), it.features(), it.words());
                    try {
                        c.model.checkContent(n, asNew.size());
                    } catch (CatalogException e) {
                        if (!skipInvalidItems) {
                            throw e;
                        }
                        LOG.log(System.Logger.Level.WARNING, "feed item ''{0}'' skipped: {1}", it.id(), e.getMessage());
                        continue;
                    }
                    fresh.add(it);
                    asNew.add(n);
                }
                if (!fresh.isEmpty()) {
                    publish(withAdded(c, fresh, c.model.encodeEach(asNew)));
                }
            }
            case StateEvent.ItemsRemoved r -> {
                List<String> present = r.ids().stream().filter(c::contains).distinct().toList();
                if (!present.isEmpty()) {
                    publish(without(c, present));
                }
            }
            case StateEvent.InteractionsRecorded i -> applyInteractions(i.interactions());
            case StateEvent.FeedBatch f -> throw new IllegalArgumentException("nested feed batch");
        }
    }

    private void applyFeedEvents(StateEvent.FeedBatch batch) {
        for (StateEvent e : batch.events()) {
            applyLeniently(e, true);
        }
        feedPositions.putAll(batch.positions());
    }

    /**
     * Applies events consumed from a feed, with the positions after them, as one journaled change
     * (durable before this returns, when there is a state directory).
     */
    void applyFeed(StateEvent.FeedBatch batch) {
        StateDirectory.Receipt receipt;
        writes.lock();
        try {
            receipt = journal(batch);
            applyFeedEvents(batch);
        } finally {
            writes.unlock();
        }
        acknowledge(receipt);
    }

    /** Where the feed consumer is to go on: topic:partition to the next offset (empty if none yet). */
    Map<String, Long> feedPositions() {
        writes.lock();
        try {
            return Map.copyOf(feedPositions);
        } finally {
            writes.unlock();
        }
    }

    private void applyInteractions(List<Interaction> accepted) {
        Map<String, List<String>> byUser = new LinkedHashMap<>();
        for (Interaction x : accepted) {
            byUser.computeIfAbsent(x.user(), u -> new ArrayList<>()).add(x.item());
            popular.record(x.item());
        }
        log.addAll(accepted);
        byUser.forEach((user, items) -> users.compute(user, (id, h) -> (h == null ? UserHistory.empty(id) : h).plus(items)));
    }

    private static Catalog withAdded(Catalog c, List<ItemContent> items, float[] encoded) {
        int d = c.model.dimE;
        for (int r = 0; r < items.size(); r++) {
            ItemContent item = items.get(r);
            EvidenceRow evidence = c.model.evidence == null ? null
                    : c.model.evidence.row(item.features(), c.model.modalityNames);
            c.store.append(item.id(), c.nextDense + r, true, encoded, r * d, item, evidence);
        }
        return new Catalog(c.model, c.store, c.store.size(), c.version, c.removedRows, c.nextDense + items.size());
    }

    private static Catalog without(Catalog c, List<String> ids) {
        long version = c.version + 1;
        for (String id : ids) {
            c.store.remove(c.rowOf(id), version);
        }
        int removed = c.removedRows + ids.size();
        if (removed > Math.max(8 * ItemStore.ROWS, c.size / 4)) {
            ItemStore compacted = c.store.compacted(version);
            return new Catalog(c.model, compacted, compacted.size(), version, 0, c.nextDense);
        }
        return new Catalog(c.model, c.store, c.size, version, removed, c.nextDense);
    }

    @Override
    public void close() {
        indexer.close();
        recall.close();
        if (snapshotter != null) {
            snapshotter.shutdown();
            try {
                snapshotter.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (state != null) {
            state.close();
        }
    }
}
