package dev.superfactory.agent.slurm;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostlistTest {

    @Test
    void expandsRangesAndSinglesInsideBracketsAndPlainNamesBetween() {
        assertThat(Hostlist.expand("wisconsin-n[1-3,5],atlanta-n7"))
                .containsExactly("wisconsin-n1", "wisconsin-n2", "wisconsin-n3", "wisconsin-n5", "atlanta-n7");
    }

    @Test
    void keepsZeroPadding() {
        assertThat(Hostlist.expand("gpu[08-10]")).containsExactly("gpu08", "gpu09", "gpu10");
    }

    @Test
    void anEmptyListIsNoNodes() {
        assertThat(Hostlist.expand("")).isEmpty();
    }

    @Test
    void anUnclosedBracketIsRefusedNamingTheList() {
        assertThatThrownBy(() -> Hostlist.expand("n[1-2")).hasMessage("host list 'n[1-2' has an unclosed '['");
    }
}
