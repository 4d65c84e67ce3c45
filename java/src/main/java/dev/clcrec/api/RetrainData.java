package dev.clcrec.api;

import dev.clcrec.data.Dataset;
import dev.clcrec.data.IdMapping;
import dev.clcrec.data.Interactions;
import dev.clcrec.data.InteractionsBuilder;
import dev.clcrec.data.Setting;
import dev.clcrec.data.Split;
import dev.clcrec.engine.ContentFeatures;
import dev.clcrec.engine.FeatureMatrix;
import dev.clcrec.state.Interaction;
import dev.clcrec.state.ItemContent;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a retrain trains on, as a dataset over a new id space: the serving bundle's users and items
 * (each user's training items kept) plus the users and runtime-added items met in the interactions
 * recorded while serving. New interactions are those not already training pairs of the serving model;
 * the newest {@code holdoutShare} of them by timestamp is the gate's holdout and is never trained on.
 *
 * <p>Ids: model users keep their dense ids, new users follow in order of first interaction. Items are
 * numbered warm first: the model's warm items (same order), then items that became warm (a cold or
 * added item with a training interaction), then the items still without one (cold). Items removed at
 * runtime stay in the model (the catalog keeps them out of recommendations), except added items that
 * were removed, which are gone with their content.
 */
final class RetrainData implements AutoCloseable {
    final Dataset dataset;
    final Interactions holdout;        // new users x new items
    final int[] newItemOfOld;          // serving model item -> candidate item
    final List<String> userIds;
    final List<String> itemIds;
    final int oldUsers;
    final int newInteractions;         // recorded and not yet trained on (training + holdout)
    final int trainedNew;              // of those, trained on now
    final int becameWarm;              // items cold or added before, warm in the candidate
    final Map<Integer, List<String>> trainedItemsOfNewUser; // candidate user -> their trained item ids

    private RetrainData(Dataset dataset, Interactions holdout, int[] newItemOfOld, List<String> userIds,
                        List<String> itemIds, int oldUsers, int newInteractions, int trainedNew, int becameWarm,
                        Map<Integer, List<String>> trainedItemsOfNewUser) {
        this.dataset = dataset;
        this.holdout = holdout;
        this.newItemOfOld = newItemOfOld;
        this.userIds = userIds;
        this.itemIds = itemIds;
        this.oldUsers = oldUsers;
        this.newInteractions = newInteractions;
        this.trainedNew = trainedNew;
        this.becameWarm = becameWarm;
        this.trainedItemsOfNewUser = trainedItemsOfNewUser;
    }

    /** The recorded interactions not yet trained on (distinct pairs of known items), oldest first. */
    static List<Interaction> fresh(Catalog c, List<Interaction> log) {
        ServingModel m = c.model;
        Map<String, Integer> modelItem = itemIndex(m);
        Set<String> added = new HashSet<>();
        c.addedItems().forEach(it -> added.add(it.id()));
        Map<String, Interaction> firstOfPair = new LinkedHashMap<>();
        for (Interaction x : log) {
            Integer item = modelItem.get(x.item());
            if (item == null && !added.contains(x.item())) {
                continue; // an added item removed since: its content is gone
            }
            Integer user = m.userIndex.get(x.user());
            if (user != null && item != null && m.train.contains(user, item)) {
                continue;
            }
            firstOfPair.merge(x.user() + "\u0000" + x.item(), x, (a, b) -> b.timestamp() < a.timestamp() ? b : a);
        }
        List<Interaction> out = new ArrayList<>(firstOfPair.values());
        out.sort(Comparator.comparingLong(Interaction::timestamp)); // stable: equal times keep log order
        return out;
    }

    private static Map<String, Integer> itemIndex(ServingModel m) {
        Map<String, Integer> idx = new HashMap<>(m.numItem * 2);
        for (int i = 0; i < m.numItem; i++) {
            idx.put(m.itemIds.get(i), i);
        }
        return idx;
    }

    /**
     * @param content the serving bundle's content (its items in dense order)
     */
    static RetrainData build(Catalog c, ContentFeatures content, List<Interaction> log, double holdoutShare) {
        ServingModel m = c.model;
        if (m.wordText) {
            throw new IllegalStateException("retraining a model with word-level text is not supported yet");
        }
        List<Interaction> fresh = fresh(c, log);
        int numHoldout = (int) Math.floor(holdoutShare * fresh.size());
        List<Interaction> trainable = fresh.subList(0, fresh.size() - numHoldout);
        List<Interaction> held = fresh.subList(fresh.size() - numHoldout, fresh.size());

        Map<String, Integer> users = new LinkedHashMap<>();
        for (int u = 0; u < m.numUser; u++) {
            users.put(m.userIds.get(u), u);
        }
        for (Interaction x : trainable) {
            users.putIfAbsent(x.user(), users.size());
        }
        Map<String, Integer> modelItem = itemIndex(m);
        List<ItemContent> added = c.addedItems();
        Set<String> trainedIds = new HashSet<>();
        trainable.forEach(x -> trainedIds.add(x.item()));
        // warm first: the model's warm items, then newly warm ones; cold last
        List<String> order = new ArrayList<>();
        List<String> coldOrder = new ArrayList<>();
        for (int i = 0; i < m.numItem; i++) {
            if (i < m.numWarmItem) {
                order.add(m.itemIds.get(i));
            }
        }
        int becameWarm = 0;
        for (int i = m.numWarmItem; i < m.numItem; i++) {
            String id = m.itemIds.get(i);
            if (trainedIds.contains(id)) {
                order.add(id);
                becameWarm++;
            } else {
                coldOrder.add(id);
            }
        }
        Map<String, ItemContent> addedById = new HashMap<>();
        for (ItemContent it : added) {
            if (modelItem.containsKey(it.id())) {
                continue; // re-added under a model item's id: the model's content and row stay
            }
            addedById.put(it.id(), it);
            if (trainedIds.contains(it.id())) {
                order.add(it.id());
                becameWarm++;
            } else {
                coldOrder.add(it.id());
            }
        }
        int numWarm = order.size();
        order.addAll(coldOrder);
        Map<String, Integer> items = new HashMap<>(order.size() * 2);
        for (int i = 0; i < order.size(); i++) {
            items.put(order.get(i), i);
        }
        int nu = users.size();
        int ni = order.size();
        int[] newItemOfOld = new int[m.numItem];
        for (int i = 0; i < m.numItem; i++) {
            newItemOfOld[i] = items.get(m.itemIds.get(i));
        }

        InteractionsBuilder train = new InteractionsBuilder("retrain training pairs", nu, ni);
        long entry = 0;
        for (int u = 0; u < m.numUser; u++) {
            for (int i : m.train.row(u)) {
                train.add(u, newItemOfOld[i], entry++);
            }
        }
        Map<Integer, List<String>> trainedOfNewUser = new HashMap<>();
        for (Interaction x : trainable) {
            int u = users.get(x.user());
            train.add(u, items.get(x.item()), entry++);
            if (u >= m.numUser) {
                trainedOfNewUser.computeIfAbsent(u, k -> new ArrayList<>()).add(x.item());
            }
        }
        InteractionsBuilder hold = new InteractionsBuilder("retrain holdout", nu, ni);
        for (Interaction x : held) {
            Integer u = users.get(x.user());
            if (u != null) { // a user met only in the holdout is unknown to both models: not scored
                hold.add(u, items.get(x.item()), entry++);
            }
        }
        Interactions trainSet = train.build().interactions();
        Interactions holdout = hold.build().interactions();
        if (holdout.size() == 0) {
            throw new NoHoldoutException(fresh.size());
        }

        Arena arena = Arena.ofShared();
        try {
            List<FeatureMatrix> mats = new ArrayList<>();
            for (int k = 0; k < m.modalityNames.size(); k++) {
                String name = m.modalityNames.get(k);
                long w = m.modalityWidths[k];
                FeatureMatrix old = content.modalities().get(k);
                if (!old.name().equals(name) || old.cols() != w || old.rows() != m.numItem) {
                    throw new IllegalStateException("the bundle's content does not match its model: modality "
                            + old.name() + " " + old.rows() + "x" + old.cols());
                }
                MemorySegment seg = arena.allocate((long) ni * w * Float.BYTES, 64);
                for (int i = 0; i < m.numItem; i++) {
                    MemorySegment.copy(old.data(), (long) i * w * Float.BYTES, seg,
                            (long) newItemOfOld[i] * w * Float.BYTES, w * Float.BYTES);
                }
                for (ItemContent it : addedById.values()) {
                    MemorySegment.copy(it.features().get(name), 0, seg, ValueLayout.JAVA_FLOAT,
                            (long) items.get(it.id()) * w * Float.BYTES, (int) w);
                }
                mats.add(new FeatureMatrix(name, seg, ni, w));
            }
            List<String> userIds = List.copyOf(users.keySet());
            // The holdout stands in both held-out splits (a dataset needs them); training only logs its
            // values per epoch and keeps the last epoch's model, so nothing is selected on it.
            Map<Split, Map<Setting, Interactions>> heldOut = new EnumMap<>(Split.class);
            for (Split s : Split.values()) {
                heldOut.put(s, Dataset.bySetting(holdout, numWarm, ni));
            }
            Dataset d = Dataset.create("retrain", "retrain", nu, ni, numWarm, trainSet, heldOut,
                    new ContentFeatures(List.copyOf(mats), null), new IdMapping(userIds, List.copyOf(order)), arena,
                    true);
            return new RetrainData(d, holdout, newItemOfOld, userIds, List.copyOf(order), m.numUser, fresh.size(),
                    trainable.size(), becameWarm, trainedOfNewUser);
        } catch (RuntimeException e) {
            if (arena.scope().isAlive()) { // Dataset.create closes it itself when it refuses the parts
                arena.close();
            }
            throw e;
        }
    }

    /** No new interaction of a user known to the candidate falls in the holdout: there is nothing to gate on. */
    static final class NoHoldoutException extends RuntimeException {
        final int newInteractions;

        NoHoldoutException(int newInteractions) {
            super(newInteractions + " new interaction(s) hold out none of a known user; record more before retraining");
            this.newInteractions = newInteractions;
        }
    }

    /** The holdout in every split and setting (warm and cold as the candidate sees them). */
    Map<Split, Map<Setting, Interactions>> holdoutSets() {
        Map<Split, Map<Setting, Interactions>> m = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            m.put(s, Dataset.bySetting(holdout, dataset.numWarmItem(), dataset.numItem()));
        }
        return m;
    }

    @Override
    public void close() {
        dataset.close();
    }
}
