package dev.clcrec.api;

import dev.clcrec.retrieval.GraphFileException;
import dev.clcrec.retrieval.HnswIndex;
import dev.clcrec.state.AtomicFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * Keeps the live catalog's graph index (see {@link RetrievalOptions}): loads a model's stored graph,
 * builds one where none is usable (in the background, or on the caller's thread before a model swap),
 * stores each model's graph in the state directory, and runs the index's merges. One worker thread
 * does all of it, so building never takes more than one of the cores that serve requests.
 *
 * <p>A graph over a model's own items depends on nothing but the model and the graph settings, so it
 * is what is stored ({@code DIR/index/hnsw-MODELVERSION.graph}, written atomically, checked when read
 * back); items added at runtime reach it through the index's exact tail and merges. A compacted
 * catalog (rows renumbered) gets a graph over its rows, built in the background and not stored.
 */
final class CatalogIndexer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CatalogIndexer.class.getName());
    /** Stored graphs kept: the model in force and a few before it, for a rollback. */
    private static final int GRAPHS_KEPT = 4;

    private final RetrievalOptions options;
    private final Path graphDir;                          // null: graphs are not stored
    private final BiConsumer<ItemStore, HnswIndex> attach; // takes the writer's lock
    private final ExecutorService worker;
    private volatile ItemStore building;                  // the store a background build is for
    private volatile ItemStore failed;                    // a store whose build failed: not retried

    /**
     * @param stateDir the state directory whose {@code index/} folder keeps graphs, or null
     * @param attach   attaches a finished background build to its store unless the catalog moved to
     *                 another store meanwhile (called from the worker thread)
     */
    CatalogIndexer(RetrievalOptions options, Path stateDir, BiConsumer<ItemStore, HnswIndex> attach) {
        this.options = options;
        this.graphDir = stateDir == null ? null : stateDir.resolve("index");
        this.attach = attach;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "clcrec-index");
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1);
            return t;
        });
    }

    RetrievalOptions options() {
        return options;
    }

    /** Whether requests over {@code c} go through the graph (when it has one). */
    boolean serves(Catalog c) {
        return options.mode().usesIndex(c.liveCount());
    }

    /**
     * The stored graph of {@code m}'s own items, or null when there is none, it does not fit the model
     * or the settings, or it is damaged (then it is logged and will be rebuilt and replaced).
     */
    HnswIndex stored(ServingModel m) {
        if (graphDir == null || !options.mode().usesIndex(m.numItem)) {
            return null;
        }
        Path file = graphFile(m);
        long t0 = System.nanoTime();
        try (InputStream in = Files.newInputStream(file)) {
            HnswIndex index = HnswIndex.load(m.dimE, m.numItem, row -> itemVector(m, row), options.hnsw(), worker, in);
            LOG.log(System.Logger.Level.INFO, "loaded the HNSW graph of {0} items from {1} in {2} ms", m.numItem, file,
                    (System.nanoTime() - t0) / 1_000_000);
            return index;
        } catch (NoSuchFileException e) {
            return null;
        } catch (GraphFileException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} not used ({1}): {2}; the graph is rebuilt", file, e.kind(),
                    e.getMessage());
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read " + file + "; the graph is rebuilt", e);
            return null;
        }
    }

    /**
     * For a model about to be swapped in with about {@code liveItems} items: its graph, stored or built
     * now on the calling thread (and stored); null when the catalog will be served exactly.
     */
    HnswIndex forSwap(ServingModel m, int liveItems) {
        if (!options.mode().usesIndex(liveItems)) {
            return null;
        }
        HnswIndex index = stored(m);
        return index != null ? index : buildForModel(m);
    }

    /**
     * Called by the writer after it published {@code c}: starts a background build when requests over
     * {@code c} should use a graph and its store has none.
     */
    void changed(Catalog c) {
        ItemStore store = c.store;
        if (!serves(c) || store.index() != null || building == store || failed == store) {
            return;
        }
        building = store;
        worker.execute(() -> {
            try {
                HnswIndex index = store.modelRowsFirst ? buildForModel(c.model) : buildOver(c);
                attach.accept(store, index);
            } catch (RuntimeException e) {
                failed = store;
                LOG.log(System.Logger.Level.ERROR, "HNSW build failed; requests go on with the exact scan", e);
            } finally {
                if (building == store) {
                    building = null;
                }
            }
        });
    }

    private HnswIndex buildForModel(ServingModel m) {
        long t0 = System.nanoTime();
        HnswIndex index = HnswIndex.build(m.dimE, m.numItem, row -> itemVector(m, row), options.hnsw(), worker);
        LOG.log(System.Logger.Level.INFO, "built the HNSW graph of {0} items of model {1} in {2} s", m.numItem,
                m.version, String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        store(m, index);
        return index;
    }

    /** A graph over every row of a (compacted) catalog's store, removed ones included (attach drops them). */
    private HnswIndex buildOver(Catalog c) {
        long t0 = System.nanoTime();
        int d = c.model.dimE;
        HnswIndex index = HnswIndex.build(d, c.size, row -> {
            float[] v = new float[d];
            c.vector(row, v, 0);
            return v;
        }, options.hnsw(), worker);
        LOG.log(System.Logger.Level.INFO, "built the HNSW graph of {0} rows in {1} s", c.size,
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
        return index;
    }

    private void store(ServingModel m, HnswIndex index) {
        if (graphDir == null) {
            return;
        }
        Path file = graphFile(m);
        try {
            Files.createDirectories(graphDir);
            AtomicFile.write(file, index::writeGraph);
            removeOldGraphs(file);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot store the HNSW graph in " + file + "; it is rebuilt next time", e);
        }
    }

    private void removeOldGraphs(Path kept) throws IOException {
        List<Path> graphs;
        try (Stream<Path> s = Files.list(graphDir)) {
            graphs = s.filter(p -> p.getFileName().toString().endsWith(".graph") && !p.equals(kept))
                    .sorted(Comparator.comparing(CatalogIndexer::modified).reversed()).toList();
        }
        for (Path p : graphs.subList(Math.min(graphs.size(), GRAPHS_KEPT - 1), graphs.size())) {
            Files.deleteIfExists(p);
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private Path graphFile(ServingModel m) {
        return graphDir.resolve("hnsw-" + m.version.replaceAll("[^A-Za-z0-9._-]", "_") + ".graph");
    }

    private static float[] itemVector(ServingModel m, int row) {
        return Arrays.copyOfRange(m.items, row * m.dimE, (row + 1) * m.dimE);
    }

    @Override
    public void close() {
        worker.shutdownNow(); // a build in progress is abandoned (nothing half-written is published)
    }
}
