package dev.clcrec.data.pickle;

/** A persistent id {@code ('storage', type, key, location, numel)} from a torch.save pickle. */
public record TorchStorageRef(String type, String key, String location, long numel) {}
