package dev.clcrec.data.pickle;

import dev.clcrec.data.DatasetFormatException;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * A Pyrolite {@link Unpickler} that resolves globals only through a {@link PickleWhitelist}: every
 * GLOBAL / STACK_GLOBAL is looked up there (never in Pyrolite's shared registry), INST and OBJ are
 * refused, and BUILD applies only to {@link Buildable} objects. So a pickle can build nothing beyond
 * Python containers, numbers, strings and the whitelisted types.
 */
public final class RestrictedUnpickler extends Unpickler {
    private final String source;
    private final PickleWhitelist whitelist;
    private final Function<Object, Object> persistentLoader;

    private RestrictedUnpickler(String source, PickleWhitelist whitelist, Function<Object, Object> persistentLoader) {
        this.source = source;
        this.whitelist = whitelist;
        this.persistentLoader = persistentLoader;
    }

    /**
     * Decodes one pickle from {@code in}.
     *
     * @param source           the file named in error messages
     * @param persistentLoader resolves persistent ids (torch storages); null refuses them
     */
    public static Object load(String source, InputStream in, PickleWhitelist whitelist,
                              Function<Object, Object> persistentLoader) {
        return load(source, in, -1, whitelist, persistentLoader);
    }

    /**
     * Decodes one pickle of {@code length} bytes (-1: unknown) from {@code in}, bounded: no declared
     * length beyond the bytes present, and the result passes {@link PickleBounds} (depth and element
     * count for that many bytes). Everything else is a {@link DatasetFormatException} naming source.
     */
    public static Object load(String source, InputStream in, long length, PickleWhitelist whitelist,
                              Function<Object, Object> persistentLoader) {
        RestrictedUnpickler u = new RestrictedUnpickler(source, whitelist, persistentLoader);
        try {
            Object o = u.load(new BoundedPickleInput(in, length));
            PickleBounds.check(source, o, PickleBounds.MAX_DEPTH, PickleBounds.budgetFor(length));
            return o;
        } catch (StackOverflowError e) {
            // a last line of defence: every path above is iterative, but a Pyrolite internal may not be
            throw new DatasetFormatException(source + ": the pickle nests too deeply to decode", null);
        } catch (DatasetFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new DatasetFormatException(source + ": corrupt or unsupported pickle: " + why, e);
        } finally {
            u.close();
        }
    }

    @Override
    protected Object dispatch(short key) throws PickleException, IOException {
        int lengthBytes = switch (key) {
            case Opcodes.BINSTRING, Opcodes.BINUNICODE, Opcodes.BINBYTES, Opcodes.LONG4 -> 4;
            case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> 8;
            default -> 0;
        };
        if (lengthBytes > 0 && input instanceof BoundedPickleInput b) {
            long declared = b.peekLength(lengthBytes);
            long left = b.remaining() - lengthBytes;
            if (declared < 0 || declared > left || declared > Integer.MAX_VALUE - 16) {
                throw new DatasetFormatException(source + ": pickle opcode at byte " + (b.position() - 1)
                        + " declares " + (declared < 0 ? "a negative or huge" : Long.toUnsignedString(declared))
                        + " bytes of data, but only " + (left == Long.MAX_VALUE - lengthBytes ? "what remains" : left)
                        + " bytes remain");
            }
        }
        switch (key) {
            case Opcodes.GLOBAL -> {
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case Opcodes.STACK_GLOBAL -> {
                Object name = stack.pop();
                Object module = stack.pop();
                if (!(name instanceof String n) || !(module instanceof String m)) {
                    throw new PickleException("STACK_GLOBAL expects two strings");
                }
                stack.add(resolve(m, n));
                return NO_RETURN_VALUE;
            }
            case Opcodes.INST, Opcodes.OBJ ->
                    throw new PickleClassRefusedException(source, "old-style instance (INST/OBJ opcode)",
                            whitelist.constructors().keySet());
            case Opcodes.BUILD -> {
                Object state = stack.pop();
                Object target = stack.peek();
                if (!(target instanceof Buildable b)) {
                    throw new PickleException("BUILD on " + (target == null ? "None" : target.getClass().getSimpleName())
                            + " is not allowed");
                }
                b.build(state);
                return NO_RETURN_VALUE;
            }
            default -> {
                return super.dispatch(key);
            }
        }
    }

    private IObjectConstructor resolve(String module, String name) {
        String full = module + "." + name;
        IObjectConstructor c = whitelist.constructors().get(full);
        if (c == null) {
            throw new PickleClassRefusedException(source, full, whitelist.constructors().keySet());
        }
        return c;
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (persistentLoader == null) {
            throw new PickleException("persistent ids are not allowed in this file");
        }
        return persistentLoader.apply(pid);
    }
}
