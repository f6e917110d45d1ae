package dev.superfactory.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class FleetStateFootprintTest {
  @Test
  void footprintOfTheMixedFleetMatchesAHandCount() {
    // Fleets.mixed(): 2 sites, 3 groups (8-GPU ×6 domains in 2 blocks; 72-GPU ×2 in 1 block;
    // 8-GPU ×6 in 3 blocks), 6 blocks, 14 domains, 6·1 + 2·2 + 6·1 = 16 words per bit set.
    // FleetState: domainWord 15 + siteDown 2 ints = 68 B; free, allocated, down 3 · 16 · 8 = 384 B;
    //   allocate's scratch: one domain of up to 72 GPUs, 2 words = 16 B.
    // CapacityIndex: groupDomainSize 3, domainFree 14, blockFree 6, blockWhole 6, groupFree 3,
    //   groupWhole 3, siteFree 2, siteWhole 2 = 39 ints = 156 B.
    // domainsByFree (keys ≤ 8, 72, 8): next 14, prev 14, head 9+73+9 = 91, size 91, keyBase 4,
    //   maxKey 3, wordBase 4 = 221 ints = 884 B; nonEmpty 1+2+1 words = 32 B.
    // blocksByWhole (keys ≤ 3, 2, 2): next 6, prev 6, head 4+3+3 = 10, size 10, keyBase 4, maxKey 3,
    //   wordBase 4 = 43 ints = 172 B; nonEmpty 3 words = 24 B.
    long expected = 68 + 384 + 16 + 156 + 884 + 32 + 172 + 24;
    assertThat(new FleetState(Fleets.mixed()).footprintBytes()).isEqualTo(expected).isEqualTo(1736);
  }

  @Test
  void footprintCountsEveryArrayTheStateHolds() {
    for (Fleet fleet : new Fleet[] {Fleets.mixed(), Fleets.sites(2, 3, 4, 72), Fleets.uniform(2, 2, 130)}) {
      FleetState state = new FleetState(fleet);
      assertThat(state.footprintBytes()).as("footprint of %s", fleet).isEqualTo(arrayBytes(state));
    }
  }

  /**
   * Sums the primitive arrays reachable from {@code o} through fields whose type is a class of this
   * package (the fleet topology excluded). Fails on any other reference field, so a new kind of
   * field must be counted here and in footprintBytes before this test passes.
   */
  private static long arrayBytes(Object o) {
    long bytes = 0;
    for (Field f : o.getClass().getDeclaredFields()) {
      Class<?> type = f.getType();
      if (Modifier.isStatic(f.getModifiers()) || type.isPrimitive() || type == Fleet.class) {
        continue;
      }
      Object value = read(f, o);
      if (type.isArray() && type.getComponentType().isPrimitive()) {
        bytes += (long) java.lang.reflect.Array.getLength(value) * elementBytes(type.getComponentType());
      } else if (type.getPackage() == FleetState.class.getPackage()) {
        bytes += arrayBytes(value);
      } else {
        fail("field %s.%s of type %s is not counted", o.getClass().getSimpleName(), f.getName(), type);
      }
    }
    return bytes;
  }

  private static Object read(Field f, Object o) {
    try {
      f.setAccessible(true);
      return f.get(o);
    } catch (IllegalAccessException e) {
      throw new AssertionError(e);
    }
  }

  private static int elementBytes(Class<?> c) {
    if (c == long.class || c == double.class) {
      return 8;
    }
    if (c == int.class || c == float.class) {
      return 4;
    }
    return c == short.class || c == char.class ? 2 : 1;
  }
}
