using System.Text;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// Reads a script file's text strictly: a file that cannot be read, bytes that are not valid in its encoding,
/// and NUL characters (PostgreSQL takes none; UTF-16 read as UTF-8 is full of them) are errors naming the file.
/// </summary>
public static class ScriptReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Read(string path, string displayName, Encoding? encoding = null)
    {
        ReadOnlySpan<byte> bytes;
        try
        {
            bytes = WholeFile.Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A dangling symbolic link, a file without read permission, a folder named like a script...
            var reason = e is FileNotFoundException or DirectoryNotFoundException ? "it does not exist (a symbolic link to nothing?)" : e.Message;
            throw Errors.Input(ErrorCatalog.ScriptUnreadable, $"{displayName}: the script cannot be read: {reason}", displayName);
        }
        var strict = encoding is null || encoding.CodePage == Encoding.UTF8.CodePage
            ? StrictUtf8
            : Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        string text;
        try
        {
            text = strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes[..Math.Max(0, Math.Min(e.Index, bytes.Length))].Count((byte)'\n');
            throw Errors.Input(ErrorCatalog.InvalidScriptEncoding,
                $"{displayName}:{line}: the file is not valid {strict.WebName} (invalid byte at offset {e.Index}); " +
                "save it as UTF-8 or set 'encoding' in its .sql.conf file", displayName, line);
        }
        if (text.IndexOf('\0') is var nul and >= 0)
        {
            var line = 1 + text.AsSpan(0, nul).Count('\n');
            throw Errors.Input(ErrorCatalog.InvalidScriptEncoding,
                $"{displayName}:{line}: the file holds a NUL character, which PostgreSQL never accepts; UTF-16 text read as {strict.WebName}? " +
                "Save it as UTF-8, or set 'encoding' (UTF-16) in its .sql.conf file", displayName, line);
        }
        return text;
    }
}
