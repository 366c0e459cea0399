using System.Text;

namespace SchemaOps.Engine.Sources;

/// <summary>Reads a script file's text strictly: bytes that are not valid in its encoding are an error naming the file.</summary>
public static class ScriptReader
{
    public static string Read(string path, string displayName, Encoding? encoding = null)
    {
        var bytes = File.ReadAllBytes(path);
        var strict = encoding is null || encoding.CodePage == Encoding.UTF8.CodePage
            ? new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true)
            : Encoding.GetEncoding(encoding.CodePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        try
        {
            return strict.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes.AsSpan(0, Math.Max(0, Math.Min(e.Index, bytes.Length))).Count((byte)'\n');
            throw Errors.InvalidData("InvalidScriptEncoding",
                $"{displayName}:{line}: the file is not valid {strict.WebName} (invalid byte at offset {e.Index}); " +
                "save it as UTF-8 or set 'encoding' in its .sql.conf file", displayName, line);
        }
    }
}
