package dev.superfactory.input;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Copies of a {@link ConfigNode} tree with one field replaced: how a sweep makes each point's scenario
 * from its base. The tree is immutable; an edit copies the nodes on the path and shares the rest, so
 * it costs O(depth · width of the maps and lists on the path). The new value keeps the location it
 * was written at (a line of the sweep file), so a reader's error about it points there.
 */
public final class ConfigEdits {
  private ConfigEdits() {}

  /**
   * The tree with {@code value} at {@code path} ({@code [*]} sets every item). A missing map key on
   * the way is created (the scenario reader then says whether it is a field it knows); a missing
   * list item, or a key under a list or a value, is an {@link IllegalArgumentException} naming the
   * step.
   */
  public static ConfigNode set(ConfigNode root, FieldPath path, ConfigNode value) {
    return set(root, path.steps(), 0, value, "");
  }

  /** The node at a concrete path (no wildcard), or null when there is none. O(depth). */
  public static ConfigNode find(ConfigNode root, FieldPath path) {
    ConfigNode at = root;
    for (FieldPath.Step s : path.steps()) {
      if (s.isKey()) {
        if (at.kind() != ConfigNode.Kind.MAP || !at.keys().contains(s.key())) {
          return null;
        }
        at = at.getOrEmpty(s.key());
      } else {
        if (at.kind() != ConfigNode.Kind.LIST || s.isAll() || s.index() >= at.asList().size()) {
          return null;
        }
        at = at.asList().get(s.index());
      }
    }
    return at;
  }

  /**
   * The path of every value in the tree (scalars and nulls, not the maps and lists that hold them), concrete
   * ({@code a[0].b}) and with wildcards ({@code a[*].b}), in document order: what a misspelt path is matched
   * against. O(nodes).
   */
  public static List<String> leafPaths(ConfigNode root) {
    List<String> out = new ArrayList<>();
    collectLeaves(root, "", "", out);
    return out.stream().distinct().toList();
  }

  private static void collectLeaves(ConfigNode n, String concrete, String wild, List<String> out) {
    if (n.kind() == ConfigNode.Kind.MAP) {
      for (String k : n.keys()) {
        collectLeaves(n.getOrEmpty(k), concrete.isEmpty() ? k : concrete + "." + k,
            wild.isEmpty() ? k : wild + "." + k, out);
      }
    } else if (n.kind() == ConfigNode.Kind.LIST) {
      List<ConfigNode> items = n.asList();
      for (int i = 0; i < items.size(); i++) {
        collectLeaves(items.get(i), concrete + "[" + i + "]", wild + "[*]", out);
      }
    } else if (!concrete.isEmpty()) {
      out.add(concrete);
      out.add(wild);
    }
  }

  private static ConfigNode set(ConfigNode n, List<FieldPath.Step> steps, int at, ConfigNode value, String path) {
    if (at == steps.size()) {
      return repath(value, path);
    }
    FieldPath.Step s = steps.get(at);
    if (s.isKey()) {
      String childPath = path.isEmpty() ? s.key() : path + "." + s.key();
      if (n.kind() != ConfigNode.Kind.MAP && n.kind() != ConfigNode.Kind.NULL) {
        throw new IllegalArgumentException((path.isEmpty() ? "the document" : path) + " is "
            + (n.kind() == ConfigNode.Kind.LIST ? "a list (index it: " + path + "[0])" : "a value, not a map")
            + "; it has no field '" + s.key() + "'");
      }
      Map<String, ConfigNode> fields = new LinkedHashMap<>();
      if (n.kind() == ConfigNode.Kind.MAP) {
        for (String k : n.keys()) {
          fields.put(k, n.getOrEmpty(k));
        }
      }
      ConfigNode child = fields.get(s.key());
      if (child == null) {
        child = ConfigNode.nullNode(childPath, value.location());
      }
      fields.put(s.key(), set(child, steps, at + 1, value, childPath));
      return ConfigNode.map(path, n.kind() == ConfigNode.Kind.MAP ? n.location() : value.location(), fields);
    }
    if (n.kind() != ConfigNode.Kind.LIST) {
      throw new IllegalArgumentException((path.isEmpty() ? "the document" : path) + " is not a list"
          + (n.kind() == ConfigNode.Kind.NULL ? " (it is absent)" : "") + "; it has no item " + s);
    }
    List<ConfigNode> items = new ArrayList<>(n.asList());
    if (s.isAll()) {
      for (int i = 0; i < items.size(); i++) {
        items.set(i, set(items.get(i), steps, at + 1, value, path + "[" + i + "]"));
      }
    } else {
      if (s.index() >= items.size()) {
        throw new IllegalArgumentException(path + " has " + items.size() + (items.size() == 1 ? " item" : " items")
            + "; there is no " + path + s);
      }
      items.set(s.index(), set(items.get(s.index()), steps, at + 1, value, path + s));
    }
    return ConfigNode.list(path, n.location(), items);
  }

  /** The same value under another path (its location kept), so errors name the field it now fills. */
  private static ConfigNode repath(ConfigNode v, String path) {
    switch (v.kind()) {
      case MAP: {
        Map<String, ConfigNode> fields = new LinkedHashMap<>();
        for (String k : v.keys()) {
          fields.put(k, repath(v.getOrEmpty(k), path.isEmpty() ? k : path + "." + k));
        }
        return ConfigNode.map(path, v.location(), fields);
      }
      case LIST: {
        List<ConfigNode> items = new ArrayList<>();
        List<ConfigNode> old = v.asList();
        for (int i = 0; i < old.size(); i++) {
          items.add(repath(old.get(i), path + "[" + i + "]"));
        }
        return ConfigNode.list(path, v.location(), items);
      }
      case NULL:
        return ConfigNode.nullNode(path, v.location());
      default:
        return ConfigNode.scalar(path, v.location(), v.asString());
    }
  }

  /** A value written at {@code at} (a generated sweep value, located at its axis). */
  public static ConfigNode scalar(String text, SourceLocation at) {
    return ConfigNode.scalar("", at, text);
  }
}
