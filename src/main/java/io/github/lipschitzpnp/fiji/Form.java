package io.github.lipschitzpnp.fiji;

import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.ImagePlus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The parameters of an ImageJ 1.x bridge command: shown as a {@link GenericDialog} (which the
 * macro recorder records) when run interactively, or read from the macro options string (the
 * same keys: a label's first word, lower case) when run from a macro, without a window. Fields
 * are declared first, then {@link #show()}, then read by label.
 */
public final class Form {

    private enum Kind { CHOICE, NUMBER, STRING, CHECKBOX, MESSAGE }

    private record Field(Kind kind, String label, String[] items, String defaultText, double defaultNumber,
            boolean defaultFlag, int digits) {
        String key() {
            return Macro.trimKey(label);
        }
    }

    /** The item of an image choice that means "no image". */
    public static final String NONE = "<none>";

    private final String title;
    private final String options;
    private final Function<String, ImagePlus> images;
    private final List<Field> fields = new ArrayList<>();
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** The last values of every form in this ImageJ session, as ImageJ's own dialogs remember them. */
    private static final Map<String, Object> LAST = new java.util.concurrent.ConcurrentHashMap<>();

    private Form(String title, String options, Function<String, ImagePlus> images) {
        this.title = title;
        this.options = options;
        this.images = images;
    }

    /** A form for the running command: macro options when a macro runs it, else a dialog. */
    public static Form forCommand(String title) {
        return new Form(title, Macro.getOptions(), WindowManager::getImage);
    }

    /** A form that parses the given macro options; images are looked up by title in {@code images}. */
    public static Form parsing(String title, String options, Function<String, ImagePlus> images) {
        return new Form(title, options == null ? "" : options + " ", images);
    }

    /** True when the values come from a macro's options, not a dialog. */
    public boolean fromMacro() {
        return options != null;
    }

    public Form choice(String label, String[] items, String def) {
        fields.add(new Field(Kind.CHOICE, label, items, def, 0, false, 0));
        return this;
    }

    /** A choice of the open images (titles); {@code optional} adds {@link #NONE} first. */
    public Form imageChoice(String label, boolean optional, String def) {
        List<String> titles = new ArrayList<>();
        if (optional) {
            titles.add(NONE);
        }
        String[] open = WindowManager.getImageTitles();
        if (open != null) {
            titles.addAll(Arrays.asList(open));
        }
        if (titles.isEmpty()) {
            titles.add(NONE);
        }
        String d = def != null && titles.contains(def) ? def : titles.get(0);
        return choice(label, titles.toArray(new String[0]), d);
    }

    public Form number(String label, double def, int digits) {
        fields.add(new Field(Kind.NUMBER, label, null, null, def, false, digits));
        return this;
    }

    public Form string(String label, String def) {
        fields.add(new Field(Kind.STRING, label, null, def, 0, false, 0));
        return this;
    }

    public Form checkbox(String label, boolean def) {
        fields.add(new Field(Kind.CHECKBOX, label, null, null, 0, def, 0));
        return this;
    }

    public Form message(String text) {
        fields.add(new Field(Kind.MESSAGE, text, null, null, 0, false, 0));
        return this;
    }

    /** Shows the dialog or parses the options; false when the user cancelled the dialog. */
    public boolean show() {
        checkKeys();
        if (options != null) {
            for (Field f : fields) {
                switch (f.kind()) {
                    case CHECKBOX:
                        values.put(f.label(), hasFlag(f.key()));
                        break;
                    case NUMBER:
                        String v = Macro.getValue(options, f.key(), null);
                        try {
                            values.put(f.label(), v == null ? f.defaultNumber() : Double.parseDouble(v));
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException(title + ": '" + v + "' is not a number for "
                                    + f.key() + "=");
                        }
                        break;
                    case MESSAGE:
                        break;
                    default:
                        values.put(f.label(), Macro.getValue(options, f.key(), f.defaultText()));
                }
            }
            remember();
            return true;
        }
        GenericDialog gd = new GenericDialog(title);
        for (Field f : fields) {
            switch (f.kind()) {
                case CHOICE -> gd.addChoice(f.label(), f.items(), lastChoice(f));
                case NUMBER -> gd.addNumericField(f.label(), (Double) last(f, f.defaultNumber()), f.digits());
                case STRING -> gd.addStringField(f.label(), (String) last(f, f.defaultText()), 24);
                case CHECKBOX -> gd.addCheckbox(f.label(), (Boolean) last(f, f.defaultFlag()));
                default -> gd.addMessage(f.label());
            }
        }
        gd.showDialog();
        if (gd.wasCanceled()) {
            return false;
        }
        for (Field f : fields) {
            switch (f.kind()) {
                case CHOICE -> values.put(f.label(), gd.getNextChoice());
                case NUMBER -> values.put(f.label(), gd.getNextNumber());
                case STRING -> values.put(f.label(), gd.getNextString());
                case CHECKBOX -> values.put(f.label(), gd.getNextBoolean());
                default -> { }
            }
        }
        remember();
        return true;
    }

    private Object last(Field f, Object def) {
        Object v = LAST.get(title + "|" + f.label());
        return v != null && def != null && v.getClass() == def.getClass() ? v : def;
    }

    private String lastChoice(Field f) {
        Object v = LAST.get(title + "|" + f.label());
        return v instanceof String s && Arrays.asList(f.items()).contains(s) ? s : f.defaultText();
    }

    private void remember() {
        values.forEach((k, v) -> {
            if (v != null) {
                LAST.put(title + "|" + k, v);
            }
        });
    }

    /**
     * ImageJ finds {@code key=} anywhere not preceded by a letter, so a key that is the tail of
     * another after '_' (size, pixel_size) would read the other's value: refuse such forms.
     */
    private void checkKeys() {
        for (Field a : fields) {
            for (Field b : fields) {
                if (a == b || a.kind() == Kind.MESSAGE || b.kind() == Kind.MESSAGE) {
                    continue;
                }
                String ka = a.key();
                String kb = b.key();
                if (ka.equals(kb) || ka.endsWith(kb) && !Character.isLetter(ka.charAt(ka.length() - kb.length() - 1))) {
                    throw new IllegalStateException(title + ": macro key '" + kb + "' clashes with '" + ka + "'");
                }
            }
        }
    }

    private boolean hasFlag(String key) {
        String o = " " + options.toLowerCase(Locale.ROOT);
        return o.contains(" " + key + " ");
    }

    public String text(String label) {
        return (String) require(label);
    }

    public double number(String label) {
        return (Double) require(label);
    }

    public int integer(String label) {
        double v = number(label);
        if (v != Math.rint(v)) {
            throw new IllegalArgumentException(title + ": " + Macro.trimKey(label) + " must be a whole number, got " + v);
        }
        return (int) v;
    }

    public boolean flag(String label) {
        return (Boolean) require(label);
    }

    /** The chosen image, or null for {@link #NONE}; an unknown title is an error naming it. */
    public ImagePlus image(String label) {
        String t = text(label);
        if (t == null || t.equals(NONE) || t.isBlank()) {
            return null;
        }
        ImagePlus imp = images.apply(t);
        if (imp == null) {
            throw new IllegalArgumentException(title + ": no open image titled \"" + t + "\" for "
                    + Macro.trimKey(label) + "=");
        }
        return imp;
    }

    private Object require(String label) {
        if (!values.containsKey(label)) {
            throw new IllegalStateException("field '" + label + "' was not declared or the form was not shown");
        }
        return values.get(label);
    }
}
