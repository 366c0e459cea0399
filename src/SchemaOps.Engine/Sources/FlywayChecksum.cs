using System.Text;
using Crc = System.IO.Hashing.Crc32;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// Flyway's script checksum (6.0.4 and later): one CRC-32 over the UTF-8 bytes of every line, with line
/// breaks (\n, \r, \r\n) dropped and a leading BOM removed, stored as a signed int. Line endings, a BOM
/// and blank lines therefore do not change it; trailing spaces do. The CRC is System.IO.Hashing's (the
/// IEEE polynomial of zlib and java.util.zip.CRC32, vectorized), fed line by line as Flyway feeds it.
/// </summary>
public static class FlywayChecksum
{
    /// <summary>The checksum of already-decoded script text.</summary>
    public static int Compute(string text)
    {
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        ReadOnlySpan<byte> bytes = Encoding.UTF8.GetBytes(text, start, text.Length - start);
        // In UTF-8, 0x0A and 0x0D only ever encode '\n' and '\r', so dropping those bytes is dropping the breaks.
        var crc = new Crc();
        while (bytes.Length > 0)
        {
            var lineEnd = bytes.IndexOfAny((byte)'\n', (byte)'\r');
            if (lineEnd < 0)
            {
                crc.Append(bytes);
                break;
            }
            crc.Append(bytes[..lineEnd]);
            bytes = bytes[(lineEnd + 1)..];
        }
        return unchecked((int)crc.GetCurrentHashAsUInt32());
    }

    /// <summary>The plain CRC-32 (IEEE) of some bytes, as Go's crc32.ChecksumIEEE computes it.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes) => Crc.HashToUInt32(bytes);
}
