package dev.clcrec.retrieval;

import java.util.Random;

/**
 * A generated catalog shaped like trained ranking vectors rather than uniform noise: items and users
 * live near a low-rank subspace (rank 16 of dim 64), items gather in clusters of Zipf-distributed
 * sizes (popular genres are big), norms vary log-normally (CLCRec's item norms spread with popularity),
 * and users mix one to three clusters' directions. Uniform random vectors would be the hardest and
 * least realistic case for a graph index; these keep the structure that makes the top 10 of a user
 * meaningful. Deterministic for a seed.
 */
public final class ClusteredVectors {
    public static final int RANK = 16;
    public static final int CLUSTERS = 512;

    private final int dim;
    private final float[][] basis;     // RANK x dim
    private final float[][] centres;   // CLUSTERS x RANK
    private final double[] clusterCdf; // Zipf(1.0) over clusters
    private final long seed;

    public ClusteredVectors(int dim, long seed) {
        this.dim = dim;
        this.seed = seed;
        Random r = new Random(seed);
        basis = new float[RANK][dim];
        for (float[] b : basis) {
            for (int j = 0; j < dim; j++) {
                b[j] = (float) (r.nextGaussian() / Math.sqrt(RANK));
            }
        }
        centres = new float[CLUSTERS][RANK];
        for (float[] c : centres) {
            for (int j = 0; j < RANK; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        clusterCdf = new double[CLUSTERS];
        double sum = 0;
        for (int c = 0; c < CLUSTERS; c++) {
            sum += 1.0 / (c + 1);
            clusterCdf[c] = sum;
        }
        for (int c = 0; c < CLUSTERS; c++) {
            clusterCdf[c] /= sum;
        }
    }

    public int dim() {
        return dim;
    }

    /** Item {@code i}: the same vector for the same generator seed and {@code i}. */
    public float[] item(int i) {
        Random r = new Random(seed * 1_000_003L + i);
        int c = cluster(r.nextDouble());
        float[] z = new float[RANK];
        for (int j = 0; j < RANK; j++) {
            z[j] = centres[c][j] + (float) (0.6 * r.nextGaussian());
        }
        float[] v = project(z, r, 0.15);
        float scale = (float) Math.exp(0.35 * r.nextGaussian());
        for (int j = 0; j < dim; j++) {
            v[j] *= scale;
        }
        return v;
    }

    /** User {@code u}: a mix of one to three clusters' directions plus noise. */
    public float[] user(int u) {
        Random r = new Random(~seed * 7_000_003L + u);
        int mix = 1 + r.nextInt(3);
        float[] z = new float[RANK];
        for (int m = 0; m < mix; m++) {
            int c = cluster(r.nextDouble());
            float w = (float) (0.5 + r.nextDouble());
            for (int j = 0; j < RANK; j++) {
                z[j] += w * centres[c][j];
            }
        }
        for (int j = 0; j < RANK; j++) {
            z[j] += (float) (0.5 * r.nextGaussian());
        }
        return project(z, r, 0.15);
    }

    private int cluster(double p) {
        int lo = 0;
        int hi = CLUSTERS - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (clusterCdf[mid] < p) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private float[] project(float[] z, Random r, double noise) {
        float[] v = new float[dim];
        for (int k = 0; k < RANK; k++) {
            for (int j = 0; j < dim; j++) {
                v[j] += z[k] * basis[k][j];
            }
        }
        for (int j = 0; j < dim; j++) {
            v[j] += (float) (noise * r.nextGaussian());
        }
        return v;
    }
}
