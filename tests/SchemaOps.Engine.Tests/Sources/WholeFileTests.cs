using System.Diagnostics;
using System.Text;
using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Sources;

/// <summary>
/// Scripts are read with the system's own open/read/close on Linux (fewer calls than File.ReadAllBytes): every byte
/// of every size, whatever kind of file it is, and the same errors as .NET's reader gives.
/// </summary>
public sealed class WholeFileTests : IDisposable
{
    private readonly TempDir _dir = new();
    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64 * 1024 - 1)]
    [InlineData(64 * 1024)]      // exactly the first buffer: only the next read says it is the end
    [InlineData(64 * 1024 + 1)]
    [InlineData(1_000_003)]      // grows the buffer several times
    public void Every_byte_of_a_file_of_any_size(int size)
    {
        var bytes = new byte[size];
        new Random(size).NextBytes(bytes);
        var path = _dir.WriteBytes($"f{size}.sql", bytes);

        Assert.True(WholeFile.Read(path).SequenceEqual(bytes));
    }

    [Fact]
    public void A_smaller_file_after_a_bigger_one_on_the_same_thread_is_only_itself()
    {
        WholeFile.Read(_dir.Write("big.sql", new string('x', 200_000)));
        Assert.Equal("SELECT 1;", Encoding.UTF8.GetString(WholeFile.Read(_dir.Write("small.sql", "SELECT 1;"))));
    }

    [Fact]
    public async Task A_file_that_reads_short_before_its_end_is_still_read_whole()
    {
        // A named pipe hands over what its writer wrote so far: a short read there is not the end.
        if (!OperatingSystem.IsLinux()) return;
        var fifo = Path.Combine(_dir.Path, "V1__pipe.sql");
        using (var mkfifo = Process.Start("mkfifo", [fifo])!)
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var writer = Task.Run(async () =>
        {
            await using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
            await stream.WriteAsync("CREATE TABLE a (id int);\n"u8.ToArray());
            await stream.FlushAsync();
            await Task.Delay(200);
            await stream.WriteAsync("CREATE TABLE b (id int);\n"u8.ToArray());
        });

        var text = Encoding.UTF8.GetString(WholeFile.Read(fifo));
        await writer;

        Assert.Equal("CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n", text);
    }

    [Fact]
    public void What_cannot_be_read_fails_as_dotnet_says()
    {
        var missing = Path.Combine(_dir.Path, "missing.sql");
        Assert.Throws<FileNotFoundException>(() => WholeFile.Read(missing).Length);
        var folder = Directory.CreateDirectory(Path.Combine(_dir.Path, "V2__folder.sql")).FullName;
        Assert.Throws<UnauthorizedAccessException>(() => WholeFile.Read(folder).Length); // .NET's word for a folder opened as a file
    }
}
