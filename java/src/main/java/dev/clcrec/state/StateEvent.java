package dev.clcrec.state;

import java.util.List;

/**
 * One acknowledged change of a service's live state, as journaled: applying a bundle's model and
 * then every event in order gives exactly the state the service had acknowledged.
 */
public sealed interface StateEvent {
    /** Items made recommendable, all at once. */
    record ItemsAdded(List<ItemContent> items) implements StateEvent {
        public ItemsAdded {
            items = List.copyOf(items);
        }
    }

    /** Items taken out of the catalog, all at once. */
    record ItemsRemoved(List<String> ids) implements StateEvent {
        public ItemsRemoved {
            ids = List.copyOf(ids);
        }
    }

    /** Interactions recorded, all at once (only the accepted entries of a request). */
    record InteractionsRecorded(List<Interaction> interactions) implements StateEvent {
        public InteractionsRecorded {
            interactions = List.copyOf(interactions);
        }
    }

    /**
     * Events consumed from a feed (Kafka) in one poll, with the feed positions after them (topic and
     * partition to the next offset to read): journaled as one record, so a restarted replica resumes
     * exactly where its state ends, never applying an event twice or skipping one.
     */
    record FeedBatch(java.util.Map<String, Long> positions, List<StateEvent> events) implements StateEvent {
        public FeedBatch {
            positions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(positions));
            events = List.copyOf(events);
            for (StateEvent e : events) {
                if (e instanceof FeedBatch) {
                    throw new IllegalArgumentException("a feed batch cannot hold another");
                }
            }
        }
    }
}
