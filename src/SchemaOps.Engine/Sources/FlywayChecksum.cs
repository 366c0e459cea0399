using System.Text;

namespace SchemaOps.Engine.Sources;

/// <summary>
/// Flyway's script checksum (6.0.4 and later): one CRC-32 over the UTF-8 bytes of every line, with line
/// breaks (\n, \r, \r\n) dropped and a leading BOM removed, stored as a signed int. Line endings, a BOM
/// and blank lines therefore do not change it; trailing spaces do.
/// </summary>
public static class FlywayChecksum
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>The checksum of already-decoded script text.</summary>
    public static int Compute(string text)
    {
        var start = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var bytes = Encoding.UTF8.GetBytes(text, start, text.Length - start);
        // In UTF-8, 0x0A and 0x0D only ever encode '\n' and '\r', so dropping those bytes is dropping the breaks.
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            if (b is (byte)'\n' or (byte)'\r') continue;
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return unchecked((int)~crc);
    }

    /// <summary>The plain CRC-32 (IEEE) of some bytes, as Go's crc32.ChecksumIEEE computes it.</summary>
    public static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        // The reflected IEEE 802.3 polynomial, as in zlib and java.util.zip.CRC32.
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
