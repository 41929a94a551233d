package io.github.lipschitzpnp.results;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DocSectionTest {

    @Test
    void replacesOnlyItsSectionAndAppendsWhenMissing() {
        String page = "# Title\n\nhand-written\n";
        String once = DocSection.replace(page, "t", "| a |\n");
        assertTrue(once.startsWith(page.strip()));
        assertTrue(once.contains(DocSection.begin("t") + "\n| a |\n" + DocSection.end("t")));
        String edited = once + "\nmore hand-written text\n";
        String twice = DocSection.replace(edited, "t", "| b |");
        assertEquals(edited.replace("| a |", "| b |"), twice);
        assertEquals(twice, DocSection.replace(twice, "t", "| b |"), "idempotent");
        String other = DocSection.replace(twice, "u", "x");
        assertTrue(other.contains("| b |") && other.contains(DocSection.begin("u")));
    }

    @Test
    void aBrokenMarkerPairIsAnError() {
        String page = "x\n" + DocSection.begin("t") + "\nno end\n";
        assertThrows(IllegalArgumentException.class, () -> DocSection.replace(page, "t", "y"));
    }
}
