package dev.clcrec.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.KnnSearchStrategy;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.HnswGraphBuilder;
import org.apache.lucene.util.hnsw.HnswGraphSearcher;
import org.apache.lucene.util.hnsw.InitializedHnswGraphBuilder;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * Approximate top-k by inner product over rows {@code 0..size()-1} of {@code dim}-float vectors: an
 * HNSW graph (Lucene's in-memory {@code OnHeapHnswGraph}) over most rows plus an exact tail of the rows
 * added since it was built, with removed rows (tombstones) filtered out of every search.
 *
 * <p><b>Design: an immutable graph segment plus an exact tail.</b> Lucene's on-heap graph may be
 * searched by many threads at once (each through its own cursor, {@link GraphCursor}), but not while a
 * node is being inserted into it (insertion rewrites neighbour arrays in place). So a published graph is never written again: {@link #add} only appends the
 * row's vector (constant time), and searches scan those tail rows exactly next to the graph search. When
 * the tail reaches {@link HnswConfig#tailLimit()} rows, {@link #merge} builds the next graph beside the
 * published one, starting from a copy of it (Lucene's {@code InitializedHnswGraphBuilder}, the way Lucene
 * merges segments) and inserting only the tail rows, and publishes it with one volatile write. Removed
 * rows stay in the graph as tombstones (walked through, never returned); once they are
 * {@link HnswConfig#rebuildRemovedFraction()} of its nodes, the merge builds the graph from the live rows
 * instead (compaction; {@link #rebuild} does so on demand).
 *
 * <p><b>Search.</b> The graph is walked for {@code max(k, efSearch)} candidates with the caller's filter
 * and the tombstones applied during the walk (Lucene's accept bits: rejected nodes are still walked
 * through, never collected). With a filter, the fraction of rows it accepts is estimated from a sample
 * of 256 nodes; the candidates kept grow by its inverse (oversampling), and when the filter accepts
 * fewer rows than {@link HnswConfig#maxVisitFraction()} of the graph, or the walk is expected to visit
 * more than that, the accepted rows are scored directly instead (as they are when a walk reaches that
 * limit). The best accepted tail rows are added, and the candidates are re-scored with the exact score
 * (the caller's, or a plain in-order dot product, which is bit for bit the exact scan's), best first,
 * ties to the lower row. The graph ranks by the same order as the dot product (see {@link GraphSpace}),
 * so the approximation is only in which rows the walk reaches.
 *
 * <p><b>Thread safety.</b> {@link #search} never blocks and may run on any number of threads, during adds,
 * removals and merges. {@link #add} and {@link #remove} are serialised by a lock (so any thread may call
 * them); a row is a candidate of every search that starts after its {@code add} returned, and a removed
 * row is never returned by a search that starts after its {@code remove} returned. Merges are serialised by
 * another lock and run beside adds and searches: a search works on the generation it started with, whose
 * graph stays valid and whose tail covers every row added after it.
 */
public final class HnswIndex {
    private static final System.Logger LOG = System.getLogger(HnswIndex.class.getName());

    private final HnswConfig config;
    private final RowVectors vectors;
    private final Tombstones removed = new Tombstones();
    private final Object writeLock = new Object();
    private final ReentrantLock mergeLock = new ReentrantLock();
    private final Executor maintenance;
    private final AtomicBoolean mergeQueued = new AtomicBoolean();
    /** Removals of rows that were graph nodes when removed: with the generation's counts, what makes a compaction due. */
    private final AtomicInteger graphRemovals = new AtomicInteger();
    private volatile GraphGeneration generation;
    private volatile RuntimeException lastMergeFailure;

    private HnswIndex(int dim, HnswConfig config, Executor maintenance) {
        if (config == null) {
            throw new IllegalArgumentException("config must be given");
        }
        this.config = config;
        this.vectors = new RowVectors(dim);
        this.maintenance = maintenance;
        this.generation = GraphGeneration.empty(vectors, config.space());
    }

    /**
     * An empty index whose merges run only when {@link #merge} or {@link #rebuild} is called.
     *
     * @throws IllegalArgumentException if {@code dim} is not positive
     */
    public static HnswIndex create(int dim, HnswConfig config) {
        return new HnswIndex(dim, config, null);
    }

    /**
     * An empty index that merges by itself: when an {@link #add} or {@link #remove} leaves a merge due,
     * one is submitted to {@code maintenance} (at most one queued or running at a time). A merge that
     * fails is logged and kept for {@link #lastMergeFailure()}; the index stays correct (the tail grows).
     */
    public static HnswIndex create(int dim, HnswConfig config, Executor maintenance) {
        if (maintenance == null) {
            throw new IllegalArgumentException("maintenance executor must be given");
        }
        return new HnswIndex(dim, config, maintenance);
    }

    /**
     * An index over {@code rows} rows, {@code vectorOfRow.apply(r)} being row {@code r} (copied), with its
     * graph built before this returns (on the calling thread).
     */
    public static HnswIndex build(int dim, int rows, IntFunction<float[]> vectorOfRow, HnswConfig config) {
        HnswIndex index = create(dim, config);
        index.appendAll(rows, vectorOfRow);
        index.rebuild();
        return index;
    }

    /**
     * As {@link #build(int, int, IntFunction, HnswConfig)}, the index then merging by itself on
     * {@code maintenance} (see {@link #create(int, HnswConfig, Executor)}).
     */
    public static HnswIndex build(int dim, int rows, IntFunction<float[]> vectorOfRow, HnswConfig config,
                                  Executor maintenance) {
        HnswIndex index = create(dim, config, maintenance);
        index.appendAll(rows, vectorOfRow); // no merge is scheduled on the way: the build covers every row
        index.rebuild();
        return index;
    }

    /**
     * An index over {@code rows} rows whose graph is read from {@code in} (written by
     * {@link #writeGraph} for the same rows and graph settings) instead of built: the edges are
     * re-scored, nothing is searched for. Merges then run on {@code maintenance} (null: only when called).
     *
     * @throws GraphFileException CORRUPT for a damaged file, MISMATCH for a graph of other rows or settings
     */
    public static HnswIndex load(int dim, int rows, IntFunction<float[]> vectorOfRow, HnswConfig config,
                                 Executor maintenance, java.io.InputStream in) throws IOException {
        GraphFile.Loaded stored = GraphFile.read(in, dim, config, rows);
        HnswIndex index = new HnswIndex(dim, config, maintenance);
        index.appendAll(rows, vectorOfRow);
        int n = stored.ordToRow().length;
        GraphGeneration.Scores scores =
                new GraphGeneration.Scores(index.vectors, config.space(), stored.ordToRow(), stored.maxNorm());
        OnHeapHnswGraph graph = index.extended(scores, stored.graph(), n, n);
        index.generation = new GraphGeneration(graph, stored.ordToRow(), stored.coveredEnd(), 0, 0, scores);
        return index;
    }

    /**
     * Writes the published graph (not the vectors, nor rows added since it was built) for
     * {@link #load}. Runs beside searches and adds; waits for a merge in progress.
     *
     * @throws IllegalStateException if no graph has been built
     */
    public void writeGraph(java.io.OutputStream out) throws IOException {
        mergeLock.lock();
        try {
            GraphFile.write(out, generation, config, vectors.dim());
        } finally {
            mergeLock.unlock();
        }
    }

    private void appendAll(int rows, IntFunction<float[]> vectorOfRow) {
        for (int r = 0; r < rows; r++) {
            append(r, wholeRow(r, vectorOfRow.apply(r)), 0);
        }
    }

    public HnswConfig config() {
        return config;
    }

    public int dim() {
        return vectors.dim();
    }

    /** Rows added so far (removed ones included): the next row is this one. */
    public int size() {
        return vectors.size();
    }

    public int removedCount() {
        return removed.count();
    }

    /** Nodes of the published graph (removed rows it still holds included). */
    public int graphSize() {
        return generation.size();
    }

    /** Rows added after the published graph was built: what every search scans exactly. */
    public int tailSize() {
        return vectors.size() - generation.coveredEnd;
    }

    /** Heap bytes of the published graph's structure (Lucene's estimate), vectors not included. */
    public long graphBytes() {
        GraphGeneration g = generation;
        return g.graph == null ? 0 : g.graph.ramBytesUsed();
    }

    /** The failure of the last merge submitted to the maintenance executor, or null. */
    public RuntimeException lastMergeFailure() {
        return lastMergeFailure;
    }

    /**
     * Appends row {@code row}, which must be {@link #size()} (rows are dense and append-only); the vector
     * is copied. Constant time: the row joins the exact tail until the next merge.
     *
     * @throws IllegalArgumentException if {@code row} is not the next row, or {@code v} has the wrong
     *                                  length or a value that is not finite
     */
    public void add(int row, float[] v) {
        add(row, wholeRow(row, v), 0);
    }

    private float[] wholeRow(int row, float[] v) {
        if (v == null || v.length != vectors.dim()) {
            throw new IllegalArgumentException("vector of row " + row + " must have " + vectors.dim() + " floats, got "
                    + (v == null ? "none" : v.length));
        }
        return v;
    }

    /**
     * As {@link #add(int, float[])} with the vector at {@code src[offset .. offset + dim()]} (copied once,
     * into the index's own row).
     */
    public void add(int row, float[] src, int offset) {
        append(row, src, offset);
        maybeScheduleMerge();
    }

    private void append(int row, float[] src, int offset) {
        int dim = vectors.dim();
        if (src == null || offset < 0 || offset > src.length - dim) {
            throw new IllegalArgumentException("vector of row " + row + " must have " + dim + " floats from " + offset
                    + ", got " + (src == null ? "none" : src.length - offset));
        }
        for (int i = 0; i < dim; i++) {
            if (!Float.isFinite(src[offset + i])) {
                throw new IllegalArgumentException("vector of row " + row + " has a non-finite value at " + i);
            }
        }
        synchronized (writeLock) {
            if (row != vectors.size()) {
                throw new IllegalArgumentException("row " + row + " is not the next row " + vectors.size());
            }
            vectors.append(src, offset);
        }
    }

    /**
     * Removes {@code row}: no search that starts after this returns will return it. Its node stays in
     * the graph (walked through, never collected) until a merge drops it.
     *
     * @return false if it was already removed
     * @throws IllegalArgumentException if there is no such row
     */
    public boolean remove(int row) {
        boolean changed;
        synchronized (writeLock) {
            if (row < 0 || row >= vectors.size()) {
                throw new IllegalArgumentException("row " + row + " is not in the index (" + vectors.size() + " rows)");
            }
            changed = removed.remove(row);
            if (changed && row < generation.coveredEnd) {
                graphRemovals.incrementAndGet();
            }
        }
        maybeScheduleMerge();
        return changed;
    }

    public boolean isRemoved(int row) {
        return removed.isRemoved(row);
    }

    /** Top {@code k} rows accepted by {@code accept} (null: all), with {@link HnswConfig#efSearch()}. */
    public Hits search(float[] query, int k, IntPredicate accept) {
        return search(query, k, accept, config.efSearch());
    }

    /** As {@link #search(float[], int, IntPredicate, int, ExactScorer)}, scored with the plain dot product. */
    public Hits search(float[] query, int k, IntPredicate accept, int efSearch) {
        checkQuery(query);
        return search(query, k, accept, efSearch, row -> plainDot(query, vectors.vector(row)));
    }

    /**
     * The top {@code k} rows for {@code query} among those not removed and accepted by {@code accept}
     * (null: all): the graph walk keeps {@code max(k, efSearch)} candidates (divided by the fraction of
     * rows the filter accepts, with {@link HnswConfig#oversampleFilters()}); the best {@code 2k + 8} of
     * them by the graph's score, and as many of the tail, are re-scored with {@code exact} and ranked.
     *
     * @param accept called from this thread during the search, for graph nodes and tail rows
     * @throws IllegalArgumentException if {@code query} has the wrong length, or {@code k} or
     *                                  {@code efSearch} is not positive
     */
    public Hits search(float[] query, int k, IntPredicate accept, int efSearch, ExactScorer exact) {
        checkQuery(query);
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (efSearch < 1) {
            throw new IllegalArgumentException("efSearch must be at least 1, got " + efSearch);
        }
        GraphGeneration g = generation;  // read before the size: every row past its coverage is in the tail
        int end = vectors.size();
        IntPredicate ok = accept == null ? row -> !removed.isRemoved(row)
                : row -> !removed.isRemoved(row) && accept.test(row);
        // the walk, the scan and the tail each pass on this many rows by the Lucene kernel's dot product,
        // so that a different summation order cannot push one of the exact top k out before re-scoring
        int keep = 2 * k + 8;
        int[] candidates = new int[0];
        int count = 0;
        long visited = 0;
        boolean scanned = false;
        if (g.graph != null) {
            int[] ordToRow = g.ordToRow;
            Bits acceptOrds = new Bits() {
                @Override
                public boolean get(int ord) {
                    return ok.test(ordToRow[ord]);
                }

                @Override
                public int length() {
                    return ordToRow.length;
                }
            };
            boolean everything = accept == null && removed.count() == 0;
            double accepted = everything ? 1.0 : acceptedFraction(acceptOrds);
            int topK = Math.max(k, efSearch);
            if (config.oversampleFilters() && accepted < 1.0) {
                topK = (int) Math.min(g.size(), Math.ceil(topK / Math.max(accepted, 1e-9)));
            }
            // Without a filter, always walk, unbounded (a walk that keeps topK candidates ends by itself).
            // With one, walk only when both the accepted rows (Lucene's rule: a walk that may visit more
            // nodes than the filter accepts costs more than scoring those rows) and the walk's expected
            // visits stay under the visit limit; else the walk would likely end in the scan anyway, after
            // paying for itself.
            long acceptedRows = (long) Math.ceil(accepted * g.size());
            int visitLimit = accepted >= 1.0 ? Integer.MAX_VALUE
                    : (int) Math.max(topK, (long) Math.ceil(g.size() * config.maxVisitFraction()));
            boolean walk = accepted >= 1.0
                    || (acceptedRows > visitLimit && (long) VISITS_PER_CANDIDATE * topK < visitLimit);
            KnnCollector found = null;
            if (walk) {
                found = searchGraph(g, query, topK, acceptOrds, visitLimit, (int) acceptedRows);
                visited = found.visitedCount();
            }
            if (found == null || found.earlyTerminated()) {
                // few accepted rows, or the walk hit its visit limit: score the accepted rows instead
                scanned = true;
                ApproximateTop top = new ApproximateTop(keep);
                for (int ord = 0; ord < ordToRow.length; ord++) {
                    int row = ordToRow[ord];
                    if (ok.test(row)) {
                        top.offer(row, VectorUtil.dotProduct(query, vectors.vector(row)));
                    }
                }
                candidates = top.rows();
                count = candidates.length;
            } else {
                // best first; the graph's score orders as the dot product does (GraphSpace), so the
                // best `keep` of the walk's candidates hold its top k under exact scores too
                ScoreDoc[] docs = found.topDocs().scoreDocs;
                int take = Math.min(docs.length, keep);
                candidates = new int[take + keep];
                for (int i = 0; i < take; i++) {
                    candidates[count++] = ordToRow[docs[i].doc]; // the graph's scorers keep ordinals as doc ids
                }
            }
        }
        ApproximateTop tail = new ApproximateTop(keep);
        for (int row = g.coveredEnd; row < end; row++) {
            if (ok.test(row)) {
                tail.offer(row, VectorUtil.dotProduct(query, vectors.vector(row)));
            }
        }
        int[] tailRows = tail.rows();
        if (count + tailRows.length > candidates.length) {
            candidates = Arrays.copyOf(candidates, count + tailRows.length);
        }
        System.arraycopy(tailRows, 0, candidates, count, tailRows.length);
        count += tailRows.length;
        return rank(candidates, count, k, exact, visited, scanned);
    }

    private KnnCollector searchGraph(GraphGeneration g, float[] query, int topK, Bits acceptOrds, int visitLimit,
                                     int acceptedEstimate) {
        KnnCollector collector = new TopKnnCollector(topK, visitLimit,
                new KnnSearchStrategy.Hnsw(config.filteredSearchThreshold()));
        try {
            HnswGraphSearcher.search(g.scores.forQuery(query), collector, new GraphCursor(g.graph), acceptOrds,
                    acceptOrds == null ? g.size() : acceptedEstimate);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // on-heap vectors: not expected
        }
        return collector;
    }

    /**
     * Nodes a walk visits per candidate it keeps, about: measured 13 at efSearch 100 and 7 at 400 on the
     * 86,506-item clustered catalog (BENCHMARKS.md); the larger figure, so that a filtered walk expected to
     * reach its visit limit is not started.
     */
    private static final int VISITS_PER_CANDIDATE = 12;

    /** Rows sampled at an even stride to estimate the fraction a filter accepts. */
    private static final int SELECTIVITY_SAMPLE = 256;

    /**
     * The fraction of the graph's nodes {@code acceptOrds} accepts, estimated from
     * {@value #SELECTIVITY_SAMPLE} nodes at an even stride (all of them in a smaller graph); 0 when none of
     * those is accepted, which sends the search to the exact scan.
     */
    private static double acceptedFraction(Bits acceptOrds) {
        int n = acceptOrds.length();
        int samples = Math.min(n, SELECTIVITY_SAMPLE);
        int hits = 0;
        for (int i = 0; i < samples; i++) {
            if (acceptOrds.get((int) ((long) i * n / samples))) {
                hits++;
            }
        }
        return hits / (double) samples;
    }

    private static Hits rank(int[] rows, int n, int k, ExactScorer exact, long visited, boolean scanned) {
        float[] score = new float[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            score[i] = exact.score(rows[i]);
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> score[a] != score[b] ? Float.compare(score[b], score[a]) : Integer.compare(rows[a], rows[b]));
        int m = Math.min(k, n);
        int[] outRows = new int[m];
        float[] outScores = new float[m];
        for (int i = 0; i < m; i++) {
            outRows[i] = rows[order[i]];
            outScores[i] = score[order[i]];
        }
        return new Hits(outRows, outScores, n, visited, scanned);
    }

    /**
     * True when a {@link #merge} is worth running: the tail has reached {@link HnswConfig#tailLimit()}
     * rows, or the rows removed since the graph was built reach {@link HnswConfig#rebuildRemovedFraction()}
     * of its nodes (then the merge compacts).
     */
    public boolean mergeDue() {
        GraphGeneration g = generation;
        int tail = vectors.size() - g.coveredEnd;
        // may count a removal twice when it raced with the build (never misses one): at worst an early
        // merge, which counts the removed nodes exactly before it decides to compact
        int removedNodes = g.removedNodes + graphRemovals.get() - g.removalsBase;
        return (tail > 0 && tail >= config.tailLimit())
                || (removedNodes > 0 && removedNodes >= config.rebuildRemovedFraction() * Math.max(1, g.size()));
    }

    /**
     * Builds the next graph from the published one plus the live tail rows and publishes it; blocks the
     * calling thread for the build. Incremental (a copy of the graph with the tail rows inserted) unless
     * there is no graph yet or removed rows are {@link HnswConfig#rebuildRemovedFraction()} of its nodes:
     * then as {@link #rebuild}. Searches, adds and removals go on meanwhile; merges wait for each other.
     */
    public void merge() {
        mergeLock.lock();
        try {
            publishNext(false);
        } finally {
            mergeLock.unlock();
        }
    }

    /**
     * Builds a new graph from scratch over the live rows (compaction: removed rows leave it, and the
     * norm-augmenting transform takes the current largest norm) and publishes it.
     */
    public void rebuild() {
        mergeLock.lock();
        try {
            publishNext(true);
        } finally {
            mergeLock.unlock();
        }
    }

    private void publishNext(boolean full) {
        GraphGeneration g = generation;
        int removalsBase = graphRemovals.get(); // read before the rows it counts are looked at
        int end = vectors.size();
        int removedNodes = 0;
        for (int row : g.ordToRow) {
            if (removed.isRemoved(row)) {
                removedNodes++;
            }
        }
        int[] tailRows = liveRows(g.coveredEnd, end);
        boolean incremental = !full && g.graph != null
                && removedNodes < config.rebuildRemovedFraction() * g.size();
        long start = System.nanoTime();
        GraphGeneration next;
        try {
            next = incremental ? mergeInto(g, tailRows, end, removedNodes, removalsBase) : buildFromScratch(end, removalsBase);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // on-heap vectors: not expected
        }
        generation = next;
        int dropped = incremental ? 0 : removedNodes;
        LOG.log(System.Logger.Level.DEBUG, () -> String.format("%s HNSW generation: %d nodes (%d removed dropped, %d inserted) in %.1f s",
                incremental ? "merged" : "rebuilt", next.size(), dropped, tailRows.length, (System.nanoTime() - start) / 1e9));
    }

    /**
     * The published graph copied (every node, removed ones included: they stay walkable, as deleted
     * documents do in a Lucene segment until it is merged away) plus the live tail rows inserted.
     * Lucene's copy can also prune removed nodes and repair the links around them, but measured on
     * inner-product graphs that left regions unreachable (a tenth of the searches for users whose best
     * items were removed found almost nothing), so removed nodes leave only through a full rebuild.
     */
    private GraphGeneration mergeInto(GraphGeneration g, int[] tailRows, int end, int removedNodes, int removalsBase)
            throws IOException {
        int kept = g.size();
        int total = kept + tailRows.length;
        int[] ordToRow = Arrays.copyOf(g.ordToRow, total);
        System.arraycopy(tailRows, 0, ordToRow, kept, tailRows.length);
        GraphGeneration.Scores scores = new GraphGeneration.Scores(vectors, config.space(), ordToRow, g.scores.maxNorm);
        // Reads the published graph through its seek/nextNeighbor cursor: only merges (serialised) use
        // that cursor; searches walk the graph through their own state.
        OnHeapHnswGraph graph = extended(scores, g.graph, kept, total);
        return new GraphGeneration(graph, ordToRow, end, removedNodes, removalsBase, scores);
    }

    /**
     * An on-heap graph over ordinals {@code 0..total-1}: the nodes {@code 0..kept-1} copied from
     * {@code from} under the same ordinals (their edges re-scored), the rest inserted.
     */
    private OnHeapHnswGraph extended(GraphGeneration.Scores scores, HnswGraph from, int kept, int total)
            throws IOException {
        int[] sameOrd = new int[kept];
        Arrays.setAll(sameOrd, i -> i);
        FixedBitSet copied = new FixedBitSet(total);
        copied.set(0, kept);
        InitializedHnswGraphBuilder builder = InitializedHnswGraphBuilder.fromGraph(
                scores, config.beamWidth(), config.seed(), from, sameOrd, copied, total);
        for (int ord = kept; ord < total; ord++) {
            builder.addGraphNode(ord);
        }
        return builder.getCompletedGraph();
    }

    private GraphGeneration buildFromScratch(int end, int removalsBase) throws IOException {
        int[] ordToRow = liveRows(0, end);
        float maxNormSq = 0f;
        for (int row : ordToRow) {
            maxNormSq = Math.max(maxNormSq, vectors.squaredNorm(row));
        }
        GraphGeneration.Scores scores =
                new GraphGeneration.Scores(vectors, config.space(), ordToRow, (float) Math.sqrt(maxNormSq));
        if (ordToRow.length == 0) {
            return new GraphGeneration(null, ordToRow, end, 0, removalsBase, scores);
        }
        HnswGraphBuilder builder = HnswGraphBuilder.create(scores, config.maxConn(), config.beamWidth(), config.seed());
        OnHeapHnswGraph graph = builder.build(ordToRow.length);
        return new GraphGeneration(graph, ordToRow, end, 0, removalsBase, scores);
    }

    private int[] liveRows(int from, int to) {
        int[] rows = new int[to - from];
        int n = 0;
        for (int row = from; row < to; row++) {
            if (!removed.isRemoved(row)) {
                rows[n++] = row;
            }
        }
        return Arrays.copyOf(rows, n);
    }

    private void maybeScheduleMerge() {
        if (maintenance == null || !mergeDue() || !mergeQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            maintenance.execute(() -> {
                try {
                    merge();
                    lastMergeFailure = null;
                } catch (RuntimeException e) {
                    lastMergeFailure = e;
                    LOG.log(System.Logger.Level.ERROR, "HNSW merge failed; searches go on with the exact tail", e);
                } finally {
                    mergeQueued.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            mergeQueued.set(false); // executor shut down: the tail keeps serving every row exactly
            LOG.log(System.Logger.Level.WARNING, "HNSW merge not scheduled: maintenance executor refused it");
        }
    }

    private void checkQuery(float[] query) {
        if (query == null || query.length != vectors.dim()) {
            throw new IllegalArgumentException("query must have " + vectors.dim() + " floats, got "
                    + (query == null ? "none" : query.length));
        }
    }

    /** {@code q . v} summed over dimensions in order, in float: bit for bit the exact scan's score. */
    static float plainDot(float[] q, float[] v) {
        float s = 0f;
        for (int i = 0; i < q.length; i++) {
            s += q[i] * v[i];
        }
        return s;
    }
}
