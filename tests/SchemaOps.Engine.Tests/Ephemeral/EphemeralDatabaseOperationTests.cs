using Npgsql;
using SchemaOps.Engine.Ephemeral;

namespace SchemaOps.Engine.Tests.Ephemeral;

/// <summary>New-EphemeralDatabase / Remove-EphemeralDatabase through the engine: what is handed out, and that removal leaves nothing.</summary>
public class EphemeralDatabaseOperationTests
{
    private static readonly Guid Owner = Guid.NewGuid();

    [Fact]
    public async Task A_started_database_is_described_without_its_password_and_removed_with_everything()
    {
        var sink = new RecordingSink();
        var db = (await EphemeralDatabaseOperation.StartAsync("app", null, Owner, sink, default))!;
        Assert.Same(db, Assert.Single(sink.Objects));
        Assert.Equal(("127.0.0.1", "app", "postgres"), (db.Host, db.Database, db.User));
        Assert.Contains(db.Id, EphemeralDatabaseOperation.RunningIds(Owner));
        Assert.True(db.StartSeconds > 0);
        Assert.DoesNotContain("password", db.ConnectionString, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(db.Passfile, db.ConnectionString);

        await using (var conn = new NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT current_database() || ' ' || current_setting('server_version_num')::int / 10000", conn);
            Assert.Equal($"app {db.ServerVersion}", await cmd.ExecuteScalarAsync());
        }

        var removal = new RecordingSink();
        await EphemeralDatabaseOperation.RemoveAsync(db.Id, Owner, passThru: true, removal);
        Assert.Same(db, Assert.Single(removal.Objects));
        Assert.DoesNotContain(db.Id, EphemeralDatabaseOperation.RunningIds(Owner));
        Assert.False(Directory.Exists(Path.GetDirectoryName(db.DataDirectory)));
        Assert.False(File.Exists($"/proc/{db.ProcessId}/stat"));

        var again = await Assert.ThrowsAsync<SchemaOpsException>(() => EphemeralDatabaseOperation.RemoveAsync(db.Id, Owner, passThru: false, new RecordingSink()));
        Assert.Equal("EphemeralDatabaseNotFound", again.ErrorId);
        Assert.Contains(db.Id, again.Message);
    }

    [Fact]
    public async Task What_if_starts_nothing_and_a_removal_declined_keeps_the_server()
    {
        Assert.Null(await EphemeralDatabaseOperation.StartAsync("postgres", null, Owner, new RecordingSink(whatIf: true), default));

        var db = (await EphemeralDatabaseOperation.StartAsync("postgres", null, Owner, new RecordingSink(), default))!;
        await EphemeralDatabaseOperation.RemoveAsync(db.Id, Owner, passThru: false, new RecordingSink(whatIf: true));
        Assert.Contains(db.Id, EphemeralDatabaseOperation.RunningIds(Owner));
        Assert.True(Directory.Exists(db.DataDirectory));
        await EphemeralDatabaseOperation.RemoveAsync(db.Id, Owner, passThru: false, new RecordingSink());
        Assert.False(Directory.Exists(db.DataDirectory));
    }

    [Fact]
    public async Task A_database_name_PostgreSQL_would_cut_short_is_refused_before_anything_starts()
    {
        var before = EphemeralDatabaseOperation.RunningIds(Owner).Count;
        var e = await Assert.ThrowsAsync<SchemaOpsException>(() => EphemeralDatabaseOperation.StartAsync(new string('d', 64), null, Owner, new RecordingSink(), default));
        Assert.Equal("EphemeralDatabaseNameInvalid", e.ErrorId);
        Assert.Equal(before, EphemeralDatabaseOperation.RunningIds(Owner).Count);
    }

    [Fact]
    public async Task A_session_sees_and_removes_only_its_own_servers_and_takes_them_all_when_it_ends()
    {
        var (mine, theirs) = (Guid.NewGuid(), Guid.NewGuid());
        var a = (await EphemeralDatabaseOperation.StartAsync("postgres", null, mine, new RecordingSink(), default))!;
        var b = (await EphemeralDatabaseOperation.StartAsync("postgres", null, theirs, new RecordingSink(), default))!;
        try
        {
            Assert.Equal([a.Id], EphemeralDatabaseOperation.RunningIds(mine));
            var e = await Assert.ThrowsAsync<SchemaOpsException>(() => EphemeralDatabaseOperation.RemoveAsync(b.Id, mine, passThru: false, new RecordingSink()));
            Assert.Equal("EphemeralDatabaseNotFound", e.ErrorId);
            Assert.True(Directory.Exists(b.DataDirectory));

            await EphemeralDatabaseOperation.RemoveAllAsync(mine);
            Assert.Empty(EphemeralDatabaseOperation.RunningIds(mine));
            Assert.False(Directory.Exists(a.DataDirectory));
            Assert.True(Directory.Exists(b.DataDirectory));
        }
        finally
        {
            await EphemeralDatabaseOperation.RemoveAllAsync(theirs);
        }
        Assert.False(Directory.Exists(b.DataDirectory));
    }
}
