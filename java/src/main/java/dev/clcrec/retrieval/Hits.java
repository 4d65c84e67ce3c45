package dev.clcrec.retrieval;

/**
 * The result of one {@link HnswIndex#search}: at most {@code k} rows, best first (higher exact score;
 * among equal scores the lower row), with their exact scores.
 *
 * @param rows       the rows, best first
 * @param scores     their exact scores, same order
 * @param candidates rows re-scored exactly to choose them (the best graph candidates plus the best tail rows)
 * @param visited    graph nodes the search scored (0 when the graph was not searched)
 * @param scanned    true when the search gave up on the graph (its filter accepted too few of the visited
 *                   rows) and scanned the accepted rows exactly: the result is then exact
 */
public record Hits(int[] rows, float[] scores, int candidates, long visited, boolean scanned) {
    public int size() {
        return rows.length;
    }
}
