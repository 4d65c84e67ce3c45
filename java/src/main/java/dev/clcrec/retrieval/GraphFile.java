package dev.clcrec.retrieval;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * The on-disk form of one graph generation, so that a restart loads the graph instead of building it
 * (measured in BENCHMARKS.md, "Approximate retrieval in the service"). Big-endian:
 *
 * <pre>
 *   "CLCRHNSW" (8 bytes)  format version (int, 1)
 *   dim  maxConn  beamWidth  space ordinal (ints)  seed (long)
 *   coveredEnd  nodes (ints)   CRC-32C of the bytes before it (int: a damaged header is told from
 *   a graph for other settings)   ordToRow (nodes ints, ascending rows below coveredEnd)   maxNorm (float)
 *   levels  entryNode (ints)
 *   per level L: count (int; level 0: nodes), L > 0: its nodes (ascending ints),
 *                then per node: neighbour count (int) and the neighbours (ints, graph ordinals)
 *   CRC-32C of every byte before it (int)
 * </pre>
 *
 * Only the structure is stored: vectors come from the catalog, and the edges are re-scored when the
 * graph is loaded. Every count and ordinal is checked against the file's own header and the catalog
 * it is loaded for, and the checksum before anything is used.
 */
final class GraphFile {
    private static final byte[] MAGIC = {'C', 'L', 'C', 'R', 'H', 'N', 'S', 'W'};
    private static final int VERSION = 1;

    private GraphFile() {}

    /** What a file holds once checked. */
    record Loaded(StoredGraph graph, int[] ordToRow, int coveredEnd, float maxNorm) {}

    static void write(OutputStream out, GraphGeneration g, HnswConfig config, int dim) throws IOException {
        if (g.graph == null) {
            throw new IllegalStateException("no graph to write: the index has not been built");
        }
        CheckedOutputStream checked = new CheckedOutputStream(new BufferedOutputStream(out, 1 << 16), new CRC32C());
        DataOutputStream data = new DataOutputStream(checked);
        OnHeapHnswGraph graph = g.graph;
        data.write(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(dim);
        data.writeInt(config.maxConn());
        data.writeInt(config.beamWidth());
        data.writeInt(config.space().ordinal());
        data.writeLong(config.seed());
        data.writeInt(g.coveredEnd);
        data.writeInt(g.size());
        data.flush();
        data.writeInt((int) checked.getChecksum().getValue());
        for (int row : g.ordToRow) {
            data.writeInt(row);
        }
        data.writeFloat(g.scores.maxNorm);
        data.writeInt(graph.numLevels());
        data.writeInt(graph.entryNode());
        for (int level = 0; level < graph.numLevels(); level++) {
            int[] nodes = nodesOn(graph, level);
            data.writeInt(nodes.length);
            if (level > 0) {
                for (int node : nodes) {
                    data.writeInt(node);
                }
            }
            for (int node : nodes) {
                NeighborArray a = graph.getNeighbors(level, node);
                int[] ids = a.nodes();
                data.writeInt(a.size());
                for (int i = 0; i < a.size(); i++) {
                    data.writeInt(ids[i]);
                }
            }
        }
        data.flush();
        int crc = (int) checked.getChecksum().getValue();
        data.writeInt(crc);
        data.flush();
    }

    private static int[] nodesOn(HnswGraph graph, int level) throws IOException {
        if (level == 0) {
            int[] all = new int[graph.size()];
            Arrays.setAll(all, i -> i);
            return all;
        }
        HnswGraph.NodesIterator it = graph.getNodesOnLevel(level);
        int[] nodes = new int[it.size()];
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = it.nextInt();
        }
        Arrays.sort(nodes);
        return nodes;
    }

    /**
     * Reads a graph written for {@code dim}-float rows with {@code config}'s graph settings over the
     * first {@code rows} rows of a catalog.
     *
     * @throws GraphFileException CORRUPT for a damaged file, MISMATCH for one written for another
     *                            catalog or other settings
     */
    static Loaded read(InputStream in, int dim, HnswConfig config, int rows) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(new BufferedInputStream(in, 1 << 16), new CRC32C());
        DataInputStream data = new DataInputStream(checked);
        try {
            byte[] magic = new byte[MAGIC.length];
            data.readFully(magic);
            int version = data.readInt();
            int fileDim = data.readInt();
            int maxConn = data.readInt();
            int beamWidth = data.readInt();
            int space = data.readInt();
            long seed = data.readLong();
            int coveredEnd = data.readInt();
            int nodes = data.readInt();
            int headerCrc = (int) checked.getChecksum().getValue();
            if (!Arrays.equals(magic, MAGIC)) {
                throw corrupt("not a clcrec HNSW graph file");
            }
            if (data.readInt() != headerCrc) {
                throw corrupt("header checksum mismatch");
            }
            if (version != VERSION) {
                throw new GraphFileException(GraphFileException.Kind.MISMATCH, "graph file format " + version
                        + ", this build reads " + VERSION);
            }
            if (fileDim != dim || maxConn != config.maxConn() || beamWidth != config.beamWidth()
                    || space != config.space().ordinal() || seed != config.seed()) {
                throw new GraphFileException(GraphFileException.Kind.MISMATCH, "graph built for dim " + fileDim + ", M "
                        + maxConn + ", beam " + beamWidth + ", space " + space + ", seed " + seed + "; wanted dim " + dim
                        + ", M " + config.maxConn() + ", beam " + config.beamWidth() + ", space "
                        + config.space().ordinal() + ", seed " + config.seed());
            }
            if (coveredEnd != rows) {
                throw new GraphFileException(GraphFileException.Kind.MISMATCH, "graph covers " + coveredEnd
                        + " rows, the catalog has " + rows);
            }
            if (nodes < 1 || nodes > coveredEnd) {
                throw corrupt("graph has " + nodes + " nodes over " + coveredEnd + " rows");
            }
            int[] ordToRow = new int[nodes];
            for (int ord = 0; ord < nodes; ord++) {
                ordToRow[ord] = data.readInt();
                if (ordToRow[ord] < 0 || ordToRow[ord] >= coveredEnd || (ord > 0 && ordToRow[ord] <= ordToRow[ord - 1])) {
                    throw corrupt("node " + ord + " maps to row " + ordToRow[ord] + ", out of order or range");
                }
            }
            float maxNorm = data.readFloat();
            if (!Float.isFinite(maxNorm) || maxNorm < 0) {
                throw corrupt("largest norm " + maxNorm);
            }
            int levels = data.readInt();
            int entryNode = data.readInt();
            if (levels < 1 || levels > 64 || entryNode < 0 || entryNode >= nodes) {
                throw corrupt("levels " + levels + ", entry node " + entryNode);
            }
            int[][] levelNodes = new int[levels][];
            int[][][] neighbours = new int[levels][][];
            int below = nodes; // nodes of the level below: a level never has more
            for (int level = 0; level < levels; level++) {
                int count = data.readInt();
                int cap = level == 0 ? 2 * maxConn : maxConn;
                if (level == 0 ? count != nodes : count < 1 || count > below) {
                    throw corrupt("level " + level + " has " + count + " nodes");
                }
                below = count;
                if (level > 0) {
                    int[] on = new int[count];
                    for (int i = 0; i < count; i++) {
                        on[i] = data.readInt();
                        if (on[i] < 0 || on[i] >= nodes || (i > 0 && on[i] <= on[i - 1])) {
                            throw corrupt("level " + level + " lists node " + on[i] + " out of order or range");
                        }
                    }
                    levelNodes[level] = on;
                }
                neighbours[level] = new int[count][];
                for (int i = 0; i < count; i++) {
                    int n = data.readInt();
                    if (n < 0 || n > cap) {
                        throw corrupt("level " + level + " node " + i + " has " + n + " neighbours (at most " + cap + ")");
                    }
                    int[] ids = new int[n];
                    for (int j = 0; j < n; j++) {
                        ids[j] = data.readInt();
                        if (ids[j] < 0 || ids[j] >= nodes) {
                            throw corrupt("level " + level + " node " + i + " links to node " + ids[j]);
                        }
                    }
                    neighbours[level][i] = ids;
                }
            }
            if (levels > 1 && Arrays.binarySearch(levelNodes[levels - 1], entryNode) < 0) {
                throw corrupt("entry node " + entryNode + " is not on the top level");
            }
            int expected = (int) checked.getChecksum().getValue();
            int stored = data.readInt();
            if (stored != expected) {
                throw corrupt("checksum mismatch");
            }
            return new Loaded(new StoredGraph(nodes, maxConn, entryNode, levelNodes, neighbours), ordToRow, coveredEnd,
                    maxNorm);
        } catch (EOFException e) {
            throw corrupt("truncated");
        }
    }

    private static GraphFileException corrupt(String what) {
        return new GraphFileException(GraphFileException.Kind.CORRUPT, "damaged HNSW graph file: " + what);
    }
}
