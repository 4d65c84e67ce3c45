package dev.clcrec.data;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** External user and item ids, indexed by dense id, with reverse lookups. */
public record IdMapping(List<String> userIds, List<String> itemIds, Map<String, Integer> userIndex,
                        Map<String, Integer> itemIndex) {

    public IdMapping(List<String> userIds, List<String> itemIds) {
        this(List.copyOf(userIds), List.copyOf(itemIds), index(userIds, "user"), index(itemIds, "item"));
    }

    public IdMapping {
        userIds = List.copyOf(userIds);
        itemIds = List.copyOf(itemIds);
        userIndex = Map.copyOf(userIndex);
        itemIndex = Map.copyOf(itemIndex);
    }

    private static Map<String, Integer> index(List<String> ids, String kind) {
        Map<String, Integer> map = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) {
            Integer previous = map.put(ids.get(i), i);
            if (previous != null) {
                throw new DatasetFormatException("duplicate external " + kind + " id '" + ids.get(i)
                        + "' at dense ids " + previous + " and " + i);
            }
        }
        return map;
    }

    public OptionalInt denseUser(String externalId) {
        Integer i = userIndex.get(externalId);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    public OptionalInt denseItem(String externalId) {
        Integer i = itemIndex.get(externalId);
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    public String externalUser(int dense) {
        return userIds.get(dense);
    }

    public String externalItem(int dense) {
        return itemIds.get(dense);
    }
}
