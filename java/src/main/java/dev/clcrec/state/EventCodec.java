package dev.clcrec.state;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The payload of a journal record: one {@link StateEvent} in a compact big-endian binary form
 * (see FORMAT.md). Decoding checks every length against what is left, so a payload that passed its
 * checksum but was written by something else fails with a clear message instead of a huge
 * allocation or an exception from deep inside.
 */
final class EventCodec {
    static final byte ITEMS_ADDED = 1;
    static final byte ITEMS_REMOVED = 2;
    static final byte INTERACTIONS_RECORDED = 3;
    static final byte FEED_BATCH = 4;

    private EventCodec() {}

    static byte[] encode(StateEvent event) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            switch (event) {
                case StateEvent.ItemsAdded a -> {
                    out.writeByte(ITEMS_ADDED);
                    out.writeInt(a.items().size());
                    for (ItemContent item : a.items()) {
                        writeString(out, item.id());
                        out.writeInt(item.features().size());
                        for (Map.Entry<String, float[]> f : item.features().entrySet()) {
                            writeString(out, f.getKey());
                            out.writeInt(f.getValue().length);
                            for (float v : f.getValue()) {
                                out.writeFloat(v);
                            }
                        }
                        int[] words = item.words();
                        out.writeInt(words == null ? -1 : words.length);
                        if (words != null) {
                            for (int w : words) {
                                out.writeInt(w);
                            }
                        }
                    }
                }
                case StateEvent.ItemsRemoved r -> {
                    out.writeByte(ITEMS_REMOVED);
                    out.writeInt(r.ids().size());
                    for (String id : r.ids()) {
                        writeString(out, id);
                    }
                }
                case StateEvent.FeedBatch f -> {
                    out.writeByte(FEED_BATCH);
                    out.writeInt(f.positions().size());
                    for (Map.Entry<String, Long> p : f.positions().entrySet()) {
                        writeString(out, p.getKey());
                        out.writeLong(p.getValue());
                    }
                    out.writeInt(f.events().size());
                    for (StateEvent inner : f.events()) {
                        byte[] b = encode(inner);
                        out.writeInt(b.length);
                        out.write(b);
                    }
                }
                case StateEvent.InteractionsRecorded i -> {
                    out.writeByte(INTERACTIONS_RECORDED);
                    out.writeInt(i.interactions().size());
                    for (Interaction x : i.interactions()) {
                        writeString(out, x.user());
                        writeString(out, x.item());
                        out.writeLong(x.timestamp());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Decodes one payload; throws {@link IllegalArgumentException} saying what is wrong. */
    static StateEvent decode(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            byte type = in.get();
            StateEvent event = switch (type) {
                case ITEMS_ADDED -> {
                    int n = count(in, 4 + 4 + 4, "items");
                    List<ItemContent> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        String id = readString(in);
                        int modalities = count(in, 4 + 4, "modalities");
                        Map<String, float[]> features = new LinkedHashMap<>();
                        for (int m = 0; m < modalities; m++) {
                            String name = readString(in);
                            float[] v = new float[count(in, Float.BYTES, "feature width")];
                            for (int k = 0; k < v.length; k++) {
                                v[k] = in.getFloat();
                            }
                            features.put(name, v);
                        }
                        int wordCount = in.getInt();
                        int[] words = null;
                        if (wordCount >= 0) {
                            in.position(in.position() - Integer.BYTES);
                            words = new int[count(in, Integer.BYTES, "words")];
                            for (int k = 0; k < words.length; k++) {
                                words[k] = in.getInt();
                            }
                        } else if (wordCount != -1) {
                            throw new IllegalArgumentException("negative word count " + wordCount);
                        }
                        items.add(new ItemContent(id, features, words));
                    }
                    yield new StateEvent.ItemsAdded(items);
                }
                case ITEMS_REMOVED -> {
                    int n = count(in, 4, "ids");
                    List<String> ids = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        ids.add(readString(in));
                    }
                    yield new StateEvent.ItemsRemoved(ids);
                }
                case INTERACTIONS_RECORDED -> {
                    int n = count(in, 4 + 4 + 8, "interactions");
                    List<Interaction> xs = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        xs.add(new Interaction(readString(in), readString(in), in.getLong()));
                    }
                    yield new StateEvent.InteractionsRecorded(xs);
                }
                case FEED_BATCH -> {
                    int n = count(in, 4 + 8, "feed positions");
                    Map<String, Long> positions = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        positions.put(readString(in), in.getLong());
                    }
                    int m = count(in, 4 + 1, "feed events");
                    List<StateEvent> events = new ArrayList<>(m);
                    for (int i = 0; i < m; i++) {
                        byte[] inner = new byte[count(in, 1, "feed event length")];
                        in.get(inner);
                        if (inner.length == 0 || inner[0] == FEED_BATCH) {
                            throw new IllegalArgumentException("a feed batch inside a feed batch");
                        }
                        events.add(decode(inner));
                    }
                    yield new StateEvent.FeedBatch(positions, events);
                }
                default -> throw new IllegalArgumentException("unknown event type " + type);
            };
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the event");
            }
            return event;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("event ends early");
        }
    }

    /** A count, checked against the bytes left at {@code minBytesEach} bytes per element. */
    private static int count(ByteBuffer in, int minBytesEach, String what) {
        int n = in.getInt();
        if (n < 0 || (long) n * minBytesEach > in.remaining()) {
            throw new IllegalArgumentException(what + " count " + n + " does not fit in the " + in.remaining()
                    + " bytes left");
        }
        return n;
    }

    private static String readString(ByteBuffer in) {
        int len = count(in, 1, "string length");
        byte[] b = new byte[len];
        in.get(b);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("a string is not UTF-8");
        }
    }
}
