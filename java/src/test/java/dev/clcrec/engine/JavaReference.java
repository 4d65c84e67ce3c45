package dev.clcrec.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An independent, plain-Java, double-precision statement of the CLCRec forward pass, loss and
 * ranking representation (REFERENCE.md), used to check the native engine on random inputs. Written
 * for clarity, not speed: everything is a loop over rows.
 */
final class JavaReference {
    final int numUser;
    final int numItem;
    final int numWarm;
    final int dimE;
    final double[][] idEmbedding; // (numUser + numItem) x dimE
    final double[][] features;    // numItem x F: normalised, concatenated content
    final double[][] w1;          // hidden x F
    final double[] b1;
    final double[][] w2;          // dimE x hidden
    final double[] b2;

    JavaReference(int numUser, int numItem, int numWarm, int dimE, float[] idEmbedding, double[][] features,
            float[] w1, float[] b1, float[] w2, float[] b2) {
        this.numUser = numUser;
        this.numItem = numItem;
        this.numWarm = numWarm;
        this.dimE = dimE;
        this.idEmbedding = matrix(idEmbedding, numUser + numItem, dimE);
        this.features = features;
        int width = features[0].length;
        this.b1 = vector(b1);
        this.w1 = matrix(w1, this.b1.length, width);
        this.b2 = vector(b2);
        this.w2 = matrix(w2, dimE, this.b1.length);
    }

    /** Each modality L2-normalised per row (eps 1e-12), then concatenated in the given order. */
    static double[][] content(List<float[]> modalities, int[] widths, int rows) {
        int total = 0;
        for (int w : widths) {
            total += w;
        }
        double[][] x = new double[rows][total];
        int offset = 0;
        for (int m = 0; m < modalities.size(); m++) {
            for (int i = 0; i < rows; i++) {
                double[] row = new double[widths[m]];
                for (int d = 0; d < widths[m]; d++) {
                    row[d] = modalities.get(m)[i * widths[m] + d];
                }
                System.arraycopy(normalize(row), 0, x[i], offset, widths[m]);
            }
            offset += widths[m];
        }
        return x;
    }

    /** Appends word-level text: per item the mean of its words' vectors, L2-normalised. */
    static double[][] withWords(double[][] x, long[] pairs, int numPairs, float[] table, int wordDim) {
        int rows = x.length;
        double[][] sum = new double[rows][wordDim];
        int[] count = new int[rows];
        for (int p = 0; p < numPairs; p++) {
            int item = (int) pairs[p];
            int word = (int) pairs[numPairs + p];
            count[item]++;
            for (int d = 0; d < wordDim; d++) {
                sum[item][d] += table[word * wordDim + d];
            }
        }
        double[][] out = new double[rows][];
        for (int i = 0; i < rows; i++) {
            double[] mean = new double[wordDim];
            for (int d = 0; d < wordDim; d++) {
                mean[d] = count[i] == 0 ? 0 : sum[i][d] / count[i];
            }
            double[] t = normalize(mean);
            out[i] = new double[x[i].length + wordDim];
            System.arraycopy(x[i], 0, out[i], 0, x[i].length);
            System.arraycopy(t, 0, out[i], x[i].length, wordDim);
        }
        return out;
    }

    /** f(x) = W2 leaky_relu(W1 x + b1) + b2 for item j. */
    double[] encode(int item) {
        double[] x = features[item];
        double[] h = new double[b1.length];
        for (int o = 0; o < h.length; o++) {
            double s = b1[o];
            for (int i = 0; i < x.length; i++) {
                s += w1[o][i] * x[i];
            }
            h[o] = s > 0 ? s : 0.01 * s;
        }
        double[] y = new double[dimE];
        for (int o = 0; o < dimE; o++) {
            double s = b2[o];
            for (int i = 0; i < h.length; i++) {
                s += w2[o][i] * h[i];
            }
            y[o] = s;
        }
        return y;
    }

    /** The ranking representation: warm items' id embedding, cold items' encoder output. */
    double[] itemRepresentation(int item) {
        return item < numWarm ? idEmbedding[numUser + item] : encode(item);
    }

    double score(int user, int item) {
        return dot(idEmbedding[user], itemRepresentation(item));
    }

    /**
     * The reference's loss on one batch (items B x G, column 0 positive), the R-E term at its own
     * temperature {@code reTemp} (the reference: {@code temp} for both).
     */
    StepLosses loss(long[] users, long[] items, int batch, int group, long[] hybrid, double temp, double reTemp,
            double lambda, double regWeight) {
        Set<Integer> hybridRows = new HashSet<>();
        for (long r : hybrid) {
            hybridRows.add((int) r);
        }
        double lossRe = 0;
        double lossUi = 0;
        double mat = 0;
        double userNorms = 0;
        double itemNorms = 0;
        for (int b = 0; b < batch; b++) {
            int user = (int) users[b];
            int positive = (int) items[b * group];
            double[] reAnchor = normalize(idEmbedding[numUser + positive]);
            double[] uiAnchor = idEmbedding[user];
            double[] re = new double[group];
            double[] ui = new double[group];
            for (int g = 0; g < group; g++) {
                int row = b * group + g;
                int item = (int) items[row];
                double[] encoded = encode(item);
                re[g] = dot(reAnchor, normalize(encoded)) / reTemp;
                double[] candidate = hybridRows.contains(row) ? encoded : idEmbedding[numUser + item];
                ui[g] = dot(uiAnchor, candidate) / temp;
                userNorms += norm(uiAnchor);
                itemNorms += norm(idEmbedding[numUser + item]);
            }
            lossRe += logSumExp(re) - re[0];
            double lse = logSumExp(ui);
            lossUi += lse - ui[0];
            mat += 1 - Math.exp(ui[0] - lse);
        }
        int rows = batch * group;
        lossRe /= batch;
        lossUi /= batch;
        mat /= batch;
        double reg = (userNorms / rows + itemNorms / rows) / 2;
        double total = lambda * lossRe + (1 - lambda) * lossUi + regWeight * reg;
        return new StepLosses(total, lossRe, lossUi, reg, mat);
    }

    static double[] normalize(double[] v) {
        double n = Math.max(norm(v), 1e-12);
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] / n;
        }
        return out;
    }

    static double norm(double[] v) {
        return Math.sqrt(dot(v, v));
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    static double logSumExp(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double s = 0;
        for (double x : v) {
            s += Math.exp(x - max);
        }
        return max + Math.log(s);
    }

    private static double[][] matrix(float[] values, int rows, int cols) {
        if (values.length != rows * cols) {
            throw new IllegalArgumentException(values.length + " values for " + rows + " x " + cols);
        }
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                m[r][c] = values[r * cols + c];
            }
        }
        return m;
    }

    private static double[] vector(float[] values) {
        double[] v = new double[values.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = values[i];
        }
        return v;
    }
}
