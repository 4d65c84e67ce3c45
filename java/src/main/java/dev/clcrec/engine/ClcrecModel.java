package dev.clcrec.engine;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.clcrec.ffi.clcrec_config;
import dev.clcrec.ffi.clcrec_distill_options;
import dev.clcrec.ffi.clcrec_distill_result;
import dev.clcrec.ffi.clcrec_h;
import dev.clcrec.ffi.clcrec_step_result;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A CLCRec model living in the native engine: parameters, Adam state and content features on the
 * model's device. Thread-safe as clcrec.h says (read-only calls run concurrently, training and
 * parameter changes exclusively). Close it when done; a Cleaner frees forgotten models, late.
 *
 * <p>All MemorySegment arguments must be native memory laid out as clcrec.h describes; ids are dense
 * local ids (users 0..numUser-1, items 0..numItem-1).
 */
public final class ClcrecModel implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    private final ModelHandle handle;
    private final Cleaner.Cleanable cleanable;
    private volatile ModelConfig config; // its learning rate follows setLearningRate
    private final String device;
    private final long featureWidth;
    private final List<String> parameterNames;
    private final long[] modalityWidths;
    private final boolean wordText;
    private final AtomicLong trainStepNanos = new AtomicLong();
    private volatile boolean joined;

    private ClcrecModel(MemorySegment pointer, ContentFeatures features) {
        this.handle = new ModelHandle(pointer);
        this.cleanable = CLEANER.register(this, handle);
        try {
            Described d = describe(handle);
            this.config = d.config;
            this.device = d.device;
            this.featureWidth = d.featureWidth;
            this.parameterNames = d.parameterNames;
        } catch (RuntimeException e) {
            close(); // the queries failed: free the native model now rather than leak it
            throw e;
        }
        this.modalityWidths = features.modalities().stream().mapToLong(FeatureMatrix::cols).toArray();
        this.wordText = features.words() != null;
    }

    private record Described(ModelConfig config, String device, long featureWidth, List<String> parameterNames) {}

    /** What the engine says about a new model: its resolved config, device, widths and parameter names. */
    private static Described describe(ModelHandle handle) {
        try (ModelHandle.Lease lease = handle.acquire("create"); Arena arena = Arena.ofConfined()) {
            MemorySegment p = lease.pointer();
            MemorySegment cfg = clcrec_config.allocate(arena);
            Status.check(clcrec_h.clcrec_model_config(p, cfg), "clcrec_model_config");
            ModelConfig config = ConfigStruct.read(cfg);
            MemorySegment buf = arena.allocate(256);
            Status.check(clcrec_h.clcrec_model_device(p, buf, buf.byteSize()), "clcrec_model_device");
            String device = buf.getString(0);
            MemorySegment width = arena.allocate(JAVA_LONG);
            Status.check(clcrec_h.clcrec_model_feature_width(p, width), "clcrec_model_feature_width");
            long featureWidth = width.get(JAVA_LONG, 0);
            MemorySegment count = arena.allocate(JAVA_INT);
            Status.check(clcrec_h.clcrec_model_parameter_count(p, count), "clcrec_model_parameter_count");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
                Status.check(clcrec_h.clcrec_model_parameter_name(p, i, buf, buf.byteSize()),
                        "clcrec_model_parameter_name");
                names.add(buf.getString(0));
            }
            return new Described(config, device, featureWidth, List.copyOf(names));
        }
    }

    /**
     * The device a model created with this config would report as its {@link #device()} (for
     * example "cpu (generic kernels)"), without creating one; fails as {@link #create} would for an
     * unavailable device or a bad CLCREC_KERNELS.
     */
    public static String deviceFor(ModelConfig config) {
        Objects.requireNonNull(config, "config");
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256);
            Status.check(clcrec_h.clcrec_config_device(ConfigStruct.write(config, arena), buf, buf.byteSize()),
                    "clcrec_config_device");
            return buf.getString(0);
        }
    }

    /** Creates a model with freshly initialised parameters (seeded by config.seed()). */
    public static ClcrecModel create(ModelConfig config, ContentFeatures features) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(features, "features");
        if (features.rows() >= 0 && features.rows() != config.numItem()) {
            throw new IllegalArgumentException("content features have " + features.rows()
                    + " rows but the config has numItem " + config.numItem());
        }
        NativeLibrary.ensureLoaded();
        MemorySegment pointer;
        try (Arena arena = Arena.ofConfined()) {
            Content content = Content.of(features, arena);
            WordPairs words = features.words();
            MemorySegment out = arena.allocate(ADDRESS);
            Status.check(clcrec_h.clcrec_model_create(ConfigStruct.write(config, arena),
                    content.count(), content.pointers(), content.widths(),
                    words == null ? MemorySegment.NULL : words.pairs(),
                    words == null ? 0 : words.count(),
                    words == null ? 0 : words.numWords(), out), "clcrec_model_create");
            pointer = out.get(ADDRESS, 0);
        }
        return new ClcrecModel(pointer, features);
    }

    /**
     * Loads a checkpoint written by {@link #save}: the stored config (with the given device and
     * thread count, and kernels {@link Kernels#AUTO}: checkpoints do not store that choice) and the
     * same content features the model was trained with. The file's checksums
     * are verified before anything is loaded, and NaN or infinite weights are refused.
     */
    public static ClcrecModel load(Path checkpoint, ContentFeatures features, Device device, int deviceIndex,
            int numThreads) {
        return load(checkpoint, features, device, deviceIndex, numThreads, Kernels.AUTO);
    }

    /** {@link #load(Path, ContentFeatures, Device, int, int)} on the given kernels. */
    public static ClcrecModel load(Path checkpoint, ContentFeatures features, Device device, int deviceIndex,
            int numThreads, Kernels kernels) {
        return loadWithState(checkpoint, features, device, deviceIndex, numThreads, kernels).model();
    }

    /** A loaded model (the caller closes it) and the state saved in the same unit (null when none was). */
    public record Loaded(ClcrecModel model, byte[] state) {}

    /**
     * {@link #load}, also returning the state stored with {@link #save(Path, byte[])}; both come
     * from the same verified bytes, so they always belong to the same moment of training.
     */
    public static Loaded loadWithState(Path checkpoint, ContentFeatures features, Device device, int deviceIndex,
            int numThreads) {
        return loadWithState(checkpoint, features, device, deviceIndex, numThreads, Kernels.AUTO);
    }

    /** {@link #loadWithState(Path, ContentFeatures, Device, int, int)} on the given kernels. */
    public static Loaded loadWithState(Path checkpoint, ContentFeatures features, Device device, int deviceIndex,
            int numThreads, Kernels kernels) {
        Objects.requireNonNull(kernels, "kernels");
        Objects.requireNonNull(device, "device");
        return loadWithState(checkpoint, features, stored -> stored.withDevice(device).withDeviceIndex(deviceIndex)
                .withNumThreads(numThreads).withKernels(kernels));
    }

    /**
     * {@link #loadWithState}, running with the config {@code configure} makes of the stored one. Training
     * that resumes with other hyperparameters (a lower step size, another temperature) passes them
     * here: the optimizer's moments are restored and continue at the new step size. The sizes must
     * stay the stored ones (the weights are checked against them).
     */
    public static Loaded loadWithState(Path checkpoint, ContentFeatures features,
            UnaryOperator<ModelConfig> configure) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(configure, "configure");
        NativeLibrary.ensureLoaded();
        try (Arena arena = Arena.ofConfined()) {
            CheckpointFile.Verified unit = CheckpointFile.read(checkpoint, arena);
            MemorySegment label = arena.allocateFrom(checkpoint.toString());
            MemorySegment cfg = clcrec_config.allocate(arena);
            Status.check(clcrec_h.clcrec_checkpoint_read_config_buffer(unit.archive(), unit.archive().byteSize(),
                    label, cfg), "reading checkpoint " + checkpoint);
            ModelConfig stored = ConfigStruct.read(cfg);
            ClcrecModel model = create(configure.apply(stored), features);
            try {
                model.load(unit, label, "loading checkpoint " + checkpoint);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return new Loaded(model, unit.state());
        }
    }

    /** The config the model runs with; its device and kernels are resolved (never AUTO). */
    public ModelConfig config() {
        return config;
    }

    /** The device in use, e.g. "cpu", "cpu (generic kernels)" (see {@link Kernels}) or "cuda:0". */
    public String device() {
        return device;
    }

    /** Width of the concatenated, normalised content features the encoder reads. */
    public long featureWidth() {
        return featureWidth;
    }

    /** Training steps taken (restored by load). */
    public long stepCount() {
        try (ModelHandle.Lease lease = handle.acquire("stepCount"); Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            Status.check(clcrec_h.clcrec_model_step_count(lease.pointer(), out), "clcrec_model_step_count");
            return out.get(JAVA_LONG, 0);
        }
    }

    /**
     * One forward/backward pass and one dense Adam step.
     *
     * @param users      batchSize int64 user ids
     * @param items      batchSize x groupSize int64 item ids, column 0 the positive, then negatives
     * @param hybridRows numHybrid int64 indices into the flattened batch (repeats allowed); may be
     *                   null when numHybrid is 0
     */
    public StepLosses trainStep(MemorySegment users, long batchSize, MemorySegment items, long groupSize,
            MemorySegment hybridRows, long numHybrid) {
        MemorySegment hybrid = checkBatch(users, batchSize, items, groupSize, hybridRows, numHybrid);
        try (ModelHandle.Lease lease = handle.acquire("trainStep"); Arena arena = Arena.ofConfined()) {
            return timedStep(arena, "clcrec_model_train_step", result -> clcrec_h.clcrec_model_train_step(
                    lease.pointer(), users, batchSize, items, groupSize, hybrid, numHybrid, result));
        }
    }

    /** Runs one native step writing into a fresh result, counted in {@link #trainStepNativeNanos}. */
    private StepLosses timedStep(Arena arena, String function, java.util.function.ToIntFunction<MemorySegment> step) {
        MemorySegment result = clcrec_step_result.allocate(arena);
        long start = System.nanoTime();
        int status = step.applyAsInt(result);
        trainStepNanos.addAndGet(System.nanoTime() - start);
        Status.check(status, function);
        return losses(result);
    }

    /**
     * One training step computed exactly as {@code sliceSizes.length} ranks compute it together, each
     * holding one slice of the global batch: slice {@code s} is the next {@code sliceSizes[s]} pairs with
     * the next {@code sliceHybrid[s]} hybrid rows, numbered within the slice's own rows. Each slice's
     * gradient is taken on its own and the slices are summed in order, weighted by size, so the result is
     * bit-identical to a group of that many ranks with {@link #setRankOrderReduction rank-order reduction}
     * (and, for two ranks, with either reduction): one process replays a data-parallel run exactly. Not
     * for a model joined to a group.
     */
    public StepLosses trainStepSlices(MemorySegment users, long batchSize, MemorySegment items, long groupSize,
            MemorySegment hybridRows, long numHybrid, long[] sliceSizes, long[] sliceHybrid) {
        Objects.requireNonNull(sliceSizes, "sliceSizes");
        Objects.requireNonNull(sliceHybrid, "sliceHybrid");
        if (sliceSizes.length == 0 || sliceSizes.length != sliceHybrid.length) {
            throw new IllegalArgumentException("sliceSizes (" + sliceSizes.length + ") and sliceHybrid ("
                    + sliceHybrid.length + ") must have the same, positive, number of slices");
        }
        MemorySegment hybrid = checkBatch(users, batchSize, items, groupSize, hybridRows, numHybrid);
        try (ModelHandle.Lease lease = handle.acquire("trainStepSlices"); Arena arena = Arena.ofConfined()) {
            MemorySegment sizes = arena.allocateFrom(JAVA_LONG, sliceSizes);
            MemorySegment hybrids = arena.allocateFrom(JAVA_LONG, sliceHybrid);
            return timedStep(arena, "clcrec_model_train_step_slices", result ->
                    clcrec_h.clcrec_model_train_step_slices(lease.pointer(), users, batchSize, items, groupSize,
                            hybrid, numHybrid, sizes, hybrids, sliceSizes.length, result));
        }
    }

    /** The losses trainStep would report for this batch, without changing the model. */
    public StepLosses computeLoss(MemorySegment users, long batchSize, MemorySegment items, long groupSize,
            MemorySegment hybridRows, long numHybrid) {
        MemorySegment hybrid = checkBatch(users, batchSize, items, groupSize, hybridRows, numHybrid);
        try (ModelHandle.Lease lease = handle.acquire("computeLoss"); Arena arena = Arena.ofConfined()) {
            MemorySegment result = clcrec_step_result.allocate(arena);
            Status.check(clcrec_h.clcrec_model_compute_loss(lease.pointer(), users, batchSize, items, groupSize,
                    hybrid, numHybrid, result), "clcrec_model_compute_loss");
            return losses(result);
        }
    }

    /**
     * One teacher-student distillation step (clcrec_model_distill_step): the model's id table teaches
     * its encoder on triples (user, warm positive, warm negative); only the encoder changes, by an Adam
     * of its own. {@code weights} are the positives' popularity weights (null: all 1).
     */
    public DistillTerms.Values distillStep(long[] users, long[] positives, long[] negatives, float[] weights,
                                           DistillTerms terms) {
        Objects.requireNonNull(terms, "terms");
        int n = users.length;
        if (positives.length != n || negatives.length != n || (weights != null && weights.length != n)) {
            throw new IllegalArgumentException("users (" + n + "), positives (" + positives.length + "), negatives ("
                    + negatives.length + ")" + (weights == null ? "" : " and weights (" + weights.length + ")")
                    + " must have the same length");
        }
        try (ModelHandle.Lease lease = handle.acquire("distillStep"); Arena arena = Arena.ofConfined()) {
            MemorySegment options = clcrec_distill_options.allocate(arena);
            clcrec_distill_options.supervised_weight(options, terms.supervised());
            clcrec_distill_options.ranking_weight(options, terms.ranking());
            clcrec_distill_options.identification_weight(options, terms.identification());
            clcrec_distill_options.rating_weight(options, terms.rating());
            clcrec_distill_options.learning_rate(options, terms.learningRate());
            MemorySegment r = clcrec_distill_result.allocate(arena);
            Status.check(clcrec_h.clcrec_model_distill_step(lease.pointer(), arena.allocateFrom(JAVA_LONG, users),
                    arena.allocateFrom(JAVA_LONG, positives), arena.allocateFrom(JAVA_LONG, negatives),
                    weights == null ? MemorySegment.NULL : arena.allocateFrom(JAVA_FLOAT, weights), n, options, r),
                    "clcrec_model_distill_step");
            return new DistillTerms.Values(clcrec_distill_result.loss(r), clcrec_distill_result.supervised(r),
                    clcrec_distill_result.ranking(r), clcrec_distill_result.identification(r),
                    clcrec_distill_result.rating(r));
        }
    }

    /**
     * Total nanoseconds spent inside the train-step downcall since creation: lets callers see how much
     * of their loop is engine time and how much is their own (Java) overhead.
     */
    public long trainStepNativeNanos() {
        return trainStepNanos.get();
    }

    /**
     * Top-k items per user under numMasks item masks, best first; excluded items never appear, ties go
     * to the lower item id, and rows with fewer than k candidates end in item -1 / score -infinity.
     *
     * @param excludeOffsets numUsers + 1 int64 CSR offsets into excludeItems (null with excludeItems)
     * @param itemMasks      numMasks x numItem bytes, nonzero = excluded; null allowed when numMasks is 1
     * @param outItems       numMasks x numUsers x k int64
     * @param outScores      numMasks x numUsers x k float32, or null
     */
    public void topK(MemorySegment users, long numUsers, MemorySegment excludeOffsets, MemorySegment excludeItems,
            MemorySegment itemMasks, int numMasks, long k, MemorySegment outItems, MemorySegment outScores) {
        Segments.positive("numUsers", numUsers);
        Segments.positive("numMasks", numMasks);
        Segments.positive("k", k);
        Segments.require(users, "users", numUsers, JAVA_LONG);
        if ((excludeOffsets == null) != (excludeItems == null)) {
            throw new IllegalArgumentException("excludeOffsets and excludeItems must both be given or both be null");
        }
        if (excludeOffsets != null) {
            Segments.require(excludeOffsets, "excludeOffsets", numUsers + 1, JAVA_LONG);
            long total = excludeOffsets.getAtIndex(JAVA_LONG, numUsers);
            Segments.nonNegative("excludeOffsets[numUsers]", total);
            Segments.require(excludeItems, "excludeItems", total, JAVA_LONG);
        }
        if (itemMasks == null && numMasks != 1) {
            throw new IllegalArgumentException("itemMasks may only be null when numMasks is 1, got " + numMasks);
        }
        MemorySegment masks = Segments.optional(itemMasks, "itemMasks", numMasks * config.numItem(), JAVA_BYTE);
        long outLen = Math.multiplyExact(Math.multiplyExact(numMasks, numUsers), k);
        Segments.require(outItems, "outItems", outLen, JAVA_LONG);
        MemorySegment scores = Segments.optional(outScores, "outScores", outLen, JAVA_FLOAT);
        try (ModelHandle.Lease lease = handle.acquire("topK")) {
            Status.check(clcrec_h.clcrec_model_top_k(lease.pointer(), users, numUsers,
                    excludeOffsets == null ? MemorySegment.NULL : excludeOffsets,
                    excludeItems == null ? MemorySegment.NULL : excludeItems,
                    masks, numMasks, k, outItems, scores), "clcrec_model_top_k");
        }
    }

    /** Unmasked scores of numUsers users against every item: numUsers x numItem float32. */
    public void score(MemorySegment users, long numUsers, MemorySegment outScores) {
        Segments.positive("numUsers", numUsers);
        Segments.require(users, "users", numUsers, JAVA_LONG);
        Segments.require(outScores, "outScores", Math.multiplyExact(numUsers, config.numItem()), JAVA_FLOAT);
        try (ModelHandle.Lease lease = handle.acquire("score")) {
            Status.check(clcrec_h.clcrec_model_score(lease.pointer(), users, numUsers, outScores),
                    "clcrec_model_score");
        }
    }

    /** Users' id embeddings, numUser x dimE row-major. */
    public float[] userEmbeddings() {
        return fetch(Output.USERS, config.numUser());
    }

    /** The ranking representation of items (warm: id embedding, cold: encoder output), numItem x dimE. */
    public float[] itemRepresentation() {
        return fetch(Output.ITEMS, config.numItem());
    }

    /** Encoder output for every item, numItem x dimE. */
    public float[] encoderOutput() {
        return fetch(Output.ENCODER, config.numItem());
    }

    /** Writes one of the above into native memory (for tables too large for a Java array). */
    public void userEmbeddings(MemorySegment out) {
        fetchInto(Output.USERS, config.numUser(), out);
    }

    public void itemRepresentation(MemorySegment out) {
        fetchInto(Output.ITEMS, config.numItem(), out);
    }

    public void encoderOutput(MemorySegment out) {
        fetchInto(Output.ENCODER, config.numItem(), out);
    }

    /**
     * Embeds brand-new items from raw content (same modalities and widths as at creation; word pairs
     * with items 0..numRows-1 when the model uses word-level text). Returns numRows x dimE.
     */
    public float[] encode(long numRows, ContentFeatures newItems) {
        Segments.positive("numRows", numRows);
        Objects.requireNonNull(newItems, "newItems");
        long[] widths = newItems.modalities().stream().mapToLong(FeatureMatrix::cols).toArray();
        if (!Arrays.equals(widths, modalityWidths)) {
            throw new IllegalArgumentException("new items have modality widths " + Arrays.toString(widths)
                    + " but the model was created with " + Arrays.toString(modalityWidths));
        }
        if (newItems.rows() >= 0 && newItems.rows() != numRows) {
            throw new IllegalArgumentException("new items' features have " + newItems.rows() + " rows, not " + numRows);
        }
        if ((newItems.words() != null) != wordText) {
            throw new IllegalArgumentException(wordText ? "this model uses word-level text: word pairs are required"
                    : "this model has no word-level text: word pairs must be null");
        }
        long len = Math.multiplyExact(numRows, config.dimE());
        int n = Segments.arrayLength("encode output", len);
        try (ModelHandle.Lease lease = handle.acquire("encode"); Arena arena = Arena.ofConfined()) {
            Content content = Content.of(newItems, arena);
            WordPairs words = newItems.words();
            MemorySegment out = arena.allocate(JAVA_FLOAT, len);
            Status.check(clcrec_h.clcrec_model_encode(lease.pointer(), numRows, content.count(), content.pointers(),
                    content.widths(), words == null ? MemorySegment.NULL : words.pairs(),
                    words == null ? 0 : words.count(), out, len), "clcrec_model_encode");
            float[] result = new float[n];
            MemorySegment.copy(out, JAVA_FLOAT, 0, result, 0, n);
            return result;
        }
    }

    /** Names of the parameters, e.g. "id_embedding", "encoder_layer1_weight". */
    public List<String> parameterNames() {
        return parameterNames;
    }

    /** Shape of a parameter (1 or 2 dimensions). */
    public long[] parameterShape(String name) {
        checkParameterName(name);
        try (ModelHandle.Lease lease = handle.acquire("parameterShape"); Arena arena = Arena.ofConfined()) {
            MemorySegment shape = arena.allocate(JAVA_LONG, 2);
            MemorySegment ndim = arena.allocate(JAVA_INT);
            Status.check(clcrec_h.clcrec_model_parameter_shape(lease.pointer(), arena.allocateFrom(name), shape, ndim),
                    "clcrec_model_parameter_shape(" + name + ")");
            int dims = ndim.get(JAVA_INT, 0);
            if (dims < 0 || dims > 2) {
                throw new IllegalStateException("native engine reported " + dims + " dimensions for " + name);
            }
            return shape.asSlice(0, dims * JAVA_LONG.byteSize()).toArray(JAVA_LONG);
        }
    }

    /** A copy of a parameter's values, row-major. */
    public float[] parameter(String name) {
        long len = elementCount(parameterShape(name));
        int n = Segments.arrayLength("parameter " + name, len);
        try (ModelHandle.Lease lease = handle.acquire("parameter"); Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_FLOAT, Math.max(1, len));
            Status.check(clcrec_h.clcrec_model_parameter_get(lease.pointer(), arena.allocateFrom(name), out, len),
                    "clcrec_model_parameter_get(" + name + ")");
            float[] result = new float[n];
            MemorySegment.copy(out, JAVA_FLOAT, 0, result, 0, n);
            return result;
        }
    }

    /** Replaces a parameter's values (row-major, exactly its element count, all finite). */
    public void setParameter(String name, float[] values) {
        Objects.requireNonNull(values, "values");
        long len = elementCount(parameterShape(name));
        if (values.length != len) {
            throw new IllegalArgumentException("parameter " + name + " has " + len + " values ("
                    + Arrays.toString(parameterShape(name)) + "), got " + values.length);
        }
        try (ModelHandle.Lease lease = handle.acquire("setParameter"); Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(JAVA_FLOAT, Math.max(1, len));
            MemorySegment.copy(values, 0, data, JAVA_FLOAT, 0, values.length);
            Status.check(clcrec_h.clcrec_model_parameter_set(lease.pointer(), arena.allocateFrom(name), data, len),
                    "clcrec_model_parameter_set(" + name + ")");
        }
    }

    /** Writes parameters, Adam state, step count and config as a checkpoint unit without training state. */
    public void save(Path path) {
        save(path, null);
    }

    /**
     * Writes parameters, Adam state, step count, config and {@code state} (opaque bytes, may be null)
     * as one checksummed file, atomically: a reader sees the previous unit or this one, never a mix
     * (see {@link CheckpointFile}). {@link #loadWithState} reads both back.
     */
    public void save(Path path, byte[] state) {
        Objects.requireNonNull(path, "path");
        Path archive = CheckpointFile.temporarySibling(path, "archive");
        try {
            try (ModelHandle.Lease lease = handle.acquire("save"); Arena arena = Arena.ofConfined()) {
                Status.check(clcrec_h.clcrec_model_save(lease.pointer(), arena.allocateFrom(archive.toString())),
                        "saving checkpoint " + path);
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(archive);
            } catch (java.io.IOException e) {
                throw new ClcrecException(ClcrecException.IO, "cannot write checkpoint " + path + ": " + e.getMessage());
            }
            CheckpointFile.write(path, bytes, state);
        } finally {
            CheckpointFile.deleteQuietly(archive);
        }
    }

    /**
     * Puts this model back to a checkpoint it (or a model of the same sizes and content) saved:
     * weights, Adam moments and step count, verified as {@link #loadWithState} verifies them. The
     * model keeps its own config (its step size included). Returns the state saved with the unit
     * (null when none was).
     */
    public byte[] restore(Path checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        try (Arena arena = Arena.ofConfined()) {
            CheckpointFile.Verified unit = CheckpointFile.read(checkpoint, arena);
            load(unit, arena.allocateFrom(checkpoint.toString()), "restoring checkpoint " + checkpoint);
            return unit.state();
        }
    }

    /** Loads a verified checkpoint unit's weights, Adam state and step count into this model. */
    private void load(CheckpointFile.Verified unit, MemorySegment label, String what) {
        try (ModelHandle.Lease lease = handle.acquire("load")) {
            Status.check(clcrec_h.clcrec_model_load_buffer(lease.pointer(), unit.archive(), unit.archive().byteSize(),
                    label), what);
        }
    }

    /**
     * The Adam step size of the next training steps; the optimizer's moments and step count are kept
     * (a schedule lowers it when validation stops improving). {@link #config()} and checkpoints
     * saved from now on carry the new value.
     */
    public void setLearningRate(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + learningRate);
        }
        try (ModelHandle.Lease lease = handle.acquire("setLearningRate")) {
            Status.check(clcrec_h.clcrec_model_set_learning_rate(lease.pointer(), learningRate),
                    "clcrec_model_set_learning_rate");
            config = config.withLearningRate(learningRate);
        }
    }

    /**
     * Joins a data-parallel group: every rank calls it, rank 0's parameters are broadcast, and from
     * then on {@link #trainStep} takes this rank's slice of the global batch (possibly empty) and
     * applies the update of the whole global batch (gradients averaged over the ranks, weighted by
     * slice size). {@code null} leaves the group.
     */
    public void joinGroup(ProcessGroup group) {
        try (ModelHandle.Lease lease = handle.acquire("joinGroup")) {
            Status.check(clcrec_h.clcrec_model_join_group(lease.pointer(), group == null ? MemorySegment.NULL
                    : group.live()), "joining the process group");
            joined = group != null;
        }
    }

    /**
     * Sparse updates (opt-in): from the next step on, only the id-table rows a batch touched get a
     * gradient, are exchanged between ranks and are updated, by a row-wise lazy Adam (dense Adam's
     * arithmetic on those rows; the others and their moments stay put), so a step costs what its
     * batch costs whatever the size of the table. Off (the reference's dense Adam) by default.
     */
    public void setSparseUpdates(boolean enabled) {
        try (ModelHandle.Lease lease = handle.acquire("setSparseUpdates")) {
            Status.check(clcrec_h.clcrec_model_set_sparse_updates(lease.pointer(), enabled ? 1 : 0),
                    "clcrec_model_set_sparse_updates");
        }
    }

    /**
     * Rank-order reduction (opt-in, every rank must choose the same): the ranks' weighted gradients are
     * all-gathered and summed in rank order on every rank instead of by the backend's all-reduce, whose
     * order with more than two ranks is its own. A run then is reproduced bit for bit by one process
     * stepping with {@link #trainStepSlices}, at world size / 2 times the all-reduce's traffic. Two ranks
     * need it not: a sum of two terms has one order.
     */
    public void setRankOrderReduction(boolean enabled) {
        try (ModelHandle.Lease lease = handle.acquire("setRankOrderReduction")) {
            Status.check(clcrec_h.clcrec_model_set_reduction_order(lease.pointer(),
                    enabled ? clcrec_h.CLCREC_REDUCTION_RANK_ORDER() : clcrec_h.CLCREC_REDUCTION_BACKEND()),
                    "clcrec_model_set_reduction_order");
        }
    }

    /** Frees the native model; idempotent. Waits for calls in progress on other threads to finish. */
    @Override
    public void close() {
        handle.free();
        cleanable.clean(); // runs the (now no-op) cleaner action and deregisters it
    }

    private MemorySegment checkBatch(MemorySegment users, long batchSize, MemorySegment items, long groupSize,
            MemorySegment hybridRows, long numHybrid) {
        if (!(joined && batchSize == 0)) { // a joined model's rank may hold an empty slice
            Segments.positive("batchSize", batchSize);
        }
        Segments.positive("groupSize", groupSize);
        Segments.nonNegative("numHybrid", numHybrid);
        Segments.require(users, "users", batchSize, JAVA_LONG);
        Segments.require(items, "items", Math.multiplyExact(batchSize, groupSize), JAVA_LONG);
        if (numHybrid > 0) {
            Segments.require(hybridRows, "hybridRows", numHybrid, JAVA_LONG);
            return hybridRows;
        }
        return hybridRows == null ? MemorySegment.NULL : hybridRows;
    }

    private void checkParameterName(String name) {
        Objects.requireNonNull(name, "parameter name");
        if (!parameterNames.contains(name)) {
            throw new IllegalArgumentException("unknown parameter '" + name + "'; this model has " + parameterNames);
        }
    }

    private static long elementCount(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    private static StepLosses losses(MemorySegment r) {
        return new StepLosses(clcrec_step_result.loss(r), clcrec_step_result.loss_re(r),
                clcrec_step_result.loss_ui(r), clcrec_step_result.reg(r), clcrec_step_result.mat(r));
    }

    private enum Output { USERS, ITEMS, ENCODER }

    private float[] fetch(Output which, long rows) {
        long len = Math.multiplyExact(rows, config.dimE());
        int n = Segments.arrayLength(which.name().toLowerCase() + " output", len);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_FLOAT, len);
            fetchInto(which, rows, out);
            float[] result = new float[n];
            MemorySegment.copy(out, JAVA_FLOAT, 0, result, 0, n);
            return result;
        }
    }

    private void fetchInto(Output which, long rows, MemorySegment out) {
        long len = Math.multiplyExact(rows, config.dimE());
        Segments.require(out, "out", len, JAVA_FLOAT);
        try (ModelHandle.Lease lease = handle.acquire(which.name().toLowerCase())) {
            MemorySegment p = lease.pointer();
            switch (which) {
                case USERS -> Status.check(clcrec_h.clcrec_model_user_embeddings(p, out, len),
                        "clcrec_model_user_embeddings");
                case ITEMS -> Status.check(clcrec_h.clcrec_model_item_representation(p, out, len),
                        "clcrec_model_item_representation");
                case ENCODER -> Status.check(clcrec_h.clcrec_model_encoder_output(p, out, len),
                        "clcrec_model_encoder_output");
            }
        }
    }

    /** The modality pointer and width arrays the header's create/encode calls take. */
    private record Content(int count, MemorySegment pointers, MemorySegment widths) {
        static Content of(ContentFeatures features, Arena arena) {
            List<FeatureMatrix> ms = features.modalities();
            if (ms.isEmpty()) {
                return new Content(0, MemorySegment.NULL, MemorySegment.NULL);
            }
            MemorySegment pointers = arena.allocate(ADDRESS, ms.size());
            MemorySegment widths = arena.allocate(JAVA_LONG, ms.size());
            for (int m = 0; m < ms.size(); m++) {
                pointers.setAtIndex(ADDRESS, m, ms.get(m).data());
                widths.setAtIndex(JAVA_LONG, m, ms.get(m).cols());
            }
            return new Content(ms.size(), pointers, widths);
        }
    }
}
