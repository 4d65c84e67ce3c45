package dev.clcrec.retrieval;

import static org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;

import java.util.Arrays;
import org.apache.lucene.util.hnsw.HnswGraph;

/**
 * A graph read back from a {@link GraphFile}: the neighbour lists of every node on every level, read
 * only. It is not searched directly: {@link HnswIndex#load} hands it to Lucene's
 * {@code InitializedHnswGraphBuilder} as the initialiser of an on-heap graph (which re-scores every
 * edge), so a loaded index is the same kind of object, merged and searched the same way, as a built one.
 */
final class StoredGraph extends HnswGraph {
    private final int size;
    private final int maxConn;
    private final int entryNode;
    /** Nodes of each level above 0, ascending (level 0 holds every node). */
    private final int[][] levelNodes;
    /** neighbours[level][position of the node on that level]. */
    private final int[][][] neighbours;
    private int[] current = new int[0];
    private int next;

    StoredGraph(int size, int maxConn, int entryNode, int[][] levelNodes, int[][][] neighbours) {
        this.size = size;
        this.maxConn = maxConn;
        this.entryNode = entryNode;
        this.levelNodes = levelNodes;
        this.neighbours = neighbours;
    }

    @Override
    public void seek(int level, int target) {
        int position = level == 0 ? target : Arrays.binarySearch(levelNodes[level], target);
        current = position < 0 ? new int[0] : neighbours[level][position];
        next = 0;
    }

    @Override
    public int nextNeighbor() {
        return next < current.length ? current[next++] : NO_MORE_DOCS;
    }

    @Override
    public int neighborCount() {
        return current.length;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int numLevels() {
        return neighbours.length;
    }

    @Override
    public int maxConn() {
        return maxConn;
    }

    @Override
    public int entryNode() {
        return entryNode;
    }

    @Override
    public NodesIterator getNodesOnLevel(int level) {
        return level == 0 ? new DenseNodesIterator(size) : new ArrayNodesIterator(levelNodes[level], levelNodes[level].length);
    }
}
