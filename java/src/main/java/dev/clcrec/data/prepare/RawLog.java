package dev.clcrec.data.prepare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Raw interactions as read from a log: external user and item ids interned to provisional ints in
 * order of first appearance, plus the rating of each event (NaN when the log has none) and its
 * timestamp ({@link #NO_TIME} when the log has none).
 */
public final class RawLog {
    /** The timestamp of an event whose log line has none. */
    public static final long NO_TIME = Long.MIN_VALUE;

    private final Map<String, Integer> userIndex = new HashMap<>();
    private final Map<String, Integer> itemIndex = new HashMap<>();
    private final List<String> users = new ArrayList<>();
    private final List<String> items = new ArrayList<>();
    private int[] u = new int[1 << 12];
    private int[] i = new int[1 << 12];
    private float[] r = new float[1 << 12];
    private long[] t = new long[1 << 12];
    private int size;

    public void add(String user, String item, float rating) {
        add(user, item, rating, NO_TIME);
    }

    public void add(String user, String item, float rating, long timestamp) {
        if (size == u.length) {
            u = Arrays.copyOf(u, size * 2);
            i = Arrays.copyOf(i, size * 2);
            r = Arrays.copyOf(r, size * 2);
            t = Arrays.copyOf(t, size * 2);
        }
        t[size] = timestamp;
        u[size] = intern(user, userIndex, users);
        i[size] = intern(item, itemIndex, items);
        r[size] = rating;
        size++;
    }

    private static int intern(String id, Map<String, Integer> index, List<String> names) {
        Integer k = index.get(id);
        if (k == null) {
            k = names.size();
            index.put(id, k);
            names.add(id);
        }
        return k;
    }

    public int size() {
        return size;
    }

    public int user(int k) {
        return u[k];
    }

    public int item(int k) {
        return i[k];
    }

    public float rating(int k) {
        return r[k];
    }

    public long timestamp(int k) {
        return t[k];
    }

    public List<String> userNames() {
        return users;
    }

    public List<String> itemNames() {
        return items;
    }
}
