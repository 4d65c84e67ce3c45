package dev.clcrec.engine;

/**
 * The weights of the teacher-student distillation's terms (clcrec.h, clcrec_distill_options) and the
 * step size of its own Adam over the encoder.
 *
 * @param supervised     BPR on the encoder's scores (ALDI's supervised term)
 * @param ranking        the encoder's score gaps against the teacher's, as soft labels (ALDI's alpha)
 * @param identification each positive's self-similarity gap against the batch's negatives (ALDI's beta)
 * @param rating         |teacher score - encoder score| of positives and negatives (ALDI's gamma)
 * @param learningRate   Adam step size, > 0
 */
public record DistillTerms(double supervised, double ranking, double identification, double rating,
                           double learningRate) {
    public DistillTerms {
        check("supervised", supervised);
        check("ranking", ranking);
        check("identification", identification);
        check("rating", rating);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException("distillation learning rate must be a finite number > 0, got "
                    + learningRate);
        }
    }

    private static void check(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException("distillation weight " + name + " must be a finite number >= 0, got " + v);
        }
    }

    /** One distillation step's terms, unweighted, before the step; {@code loss} is their weighted sum. */
    public record Values(double loss, double supervised, double ranking, double identification, double rating) {}
}
