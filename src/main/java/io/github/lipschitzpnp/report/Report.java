package io.github.lipschitzpnp.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small report written twice from one description: {@code report.md} (Markdown) and
 * {@code report.html} (self-contained apart from the PNG files it links, relative paths).
 */
public final class Report {

    private sealed interface Part permits Heading, Paragraph, Table, Figure, Code {
    }

    private record Heading(int level, String text) implements Part {
    }

    private record Paragraph(String text) implements Part {
    }

    private record Table(List<String> header, List<List<String>> rows) implements Part {
    }

    private record Figure(String path, String caption) implements Part {
    }

    private record Code(String text) implements Part {
    }

    private final String title;
    private final List<Part> parts = new ArrayList<>();

    public Report(String title) {
        this.title = title;
    }

    public Report heading(String text) {
        parts.add(new Heading(2, text));
        return this;
    }

    public Report paragraph(String text) {
        parts.add(new Paragraph(text));
        return this;
    }

    public Report table(List<String> header, List<List<String>> rows) {
        parts.add(new Table(List.copyOf(header), rows.stream().map(List::copyOf).toList()));
        return this;
    }

    /** A figure given by its path relative to the report's folder. */
    public Report figure(String relativePath, String caption) {
        parts.add(new Figure(relativePath, caption));
        return this;
    }

    public Report code(String text) {
        parts.add(new Code(text));
        return this;
    }

    public String markdown() {
        StringBuilder s = new StringBuilder("# ").append(title).append("\n\n");
        for (Part p : parts) {
            if (p instanceof Heading h) {
                s.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (p instanceof Paragraph t) {
                s.append(t.text()).append("\n\n");
            } else if (p instanceof Table t) {
                s.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                s.append("---|".repeat(t.header().size())).append('\n');
                for (List<String> row : t.rows()) {
                    s.append("| ").append(String.join(" | ", row)).append(" |\n");
                }
                s.append('\n');
            } else if (p instanceof Figure f) {
                s.append("![").append(f.caption()).append("](").append(f.path()).append(")\n\n*")
                        .append(f.caption()).append("*\n\n");
            } else if (p instanceof Code c) {
                s.append("```\n").append(c.text()).append("\n```\n\n");
            }
        }
        return s.toString();
    }

    public String html() {
        StringBuilder s = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(esc(title)).append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
                        + "padding:0 1em;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;"
                        + "padding:4px 10px;text-align:left}th{background:#eee}img{max-width:100%}figure{margin:1em 0}"
                        + "figcaption{font-style:italic;color:#555}pre{background:#f4f4f4;padding:8px;overflow-x:auto}"
                        + "</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        for (Part p : parts) {
            if (p instanceof Heading h) {
                s.append("<h").append(h.level()).append('>').append(esc(h.text())).append("</h").append(h.level())
                        .append(">\n");
            } else if (p instanceof Paragraph t) {
                s.append("<p>").append(inlineCode(esc(t.text()))).append("</p>\n");
            } else if (p instanceof Table t) {
                s.append("<table><tr>");
                for (String h : t.header()) {
                    s.append("<th>").append(esc(h)).append("</th>");
                }
                s.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    s.append("<tr>");
                    for (String c : row) {
                        s.append("<td>").append(inlineCode(esc(c))).append("</td>");
                    }
                    s.append("</tr>\n");
                }
                s.append("</table>\n");
            } else if (p instanceof Figure f) {
                s.append("<figure><img src=\"").append(esc(f.path())).append("\" alt=\"").append(esc(f.caption()))
                        .append("\"><figcaption>").append(esc(f.caption())).append("</figcaption></figure>\n");
            } else if (p instanceof Code c) {
                s.append("<pre>").append(esc(c.text())).append("</pre>\n");
            }
        }
        return s.append("</body></html>\n").toString();
    }

    private static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** `code` spans (already escaped text) to {@code <code>}. */
    private static String inlineCode(String escaped) {
        return escaped.replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    /** Writes report.md and report.html into {@code dir}, atomically. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve("report.md"), markdown());
        AtomicFiles.writeString(dir.resolve("report.html"), html());
    }
}
