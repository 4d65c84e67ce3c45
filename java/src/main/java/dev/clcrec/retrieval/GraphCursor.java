package dev.clcrec.retrieval;

import static org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;

import java.io.IOException;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * One search's view of a shared, published {@link OnHeapHnswGraph}. Lucene's graph searchers read
 * neighbours through {@code seek}/{@code nextNeighbor}, a cursor that {@code OnHeapHnswGraph} keeps in
 * the graph object itself, so two searches on one graph would move each other's cursor. This view keeps
 * the cursor per search and reads the neighbour arrays, which nothing writes once the graph is published.
 */
final class GraphCursor extends HnswGraph {
    private final OnHeapHnswGraph graph;
    private int[] nodes = new int[0];
    private int count;
    private int next;

    GraphCursor(OnHeapHnswGraph graph) {
        this.graph = graph;
    }

    @Override
    public void seek(int level, int target) {
        NeighborArray a = graph.getNeighbors(level, target);
        nodes = a.nodes();
        count = a.size();
        next = 0;
    }

    @Override
    public int nextNeighbor() {
        return next < count ? nodes[next++] : NO_MORE_DOCS;
    }

    @Override
    public int neighborCount() {
        return count;
    }

    @Override
    public int size() {
        return graph.size();
    }

    @Override
    public int maxNodeId() {
        return graph.maxNodeId();
    }

    @Override
    public int numLevels() {
        return graph.numLevels();
    }

    @Override
    public int maxConn() {
        return graph.maxConn();
    }

    @Override
    public int entryNode() {
        return graph.entryNode();
    }

    @Override
    public NodesIterator getNodesOnLevel(int level) throws IOException {
        return graph.getNodesOnLevel(level);
    }
}
