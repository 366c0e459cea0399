using Npgsql;
using SchemaOps.Engine.Operations;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Interop;

/// <summary>
/// SchemaOps and the real dbmate take turns on one database: each continues where the other stopped, and
/// both tools' status agree.
/// </summary>
public class DbmateInteropTests(PostgresFixture pg) : DatabaseTestBase(pg)
{
    private readonly PostgresFixture _pg = pg;

    private string Url => _pg.Server.Url(new NpgsqlConnectionStringBuilder(ConnectionString).Database!);

    private readonly string[] _files =
    [
        "20240101000000_create_users.sql",
        "20240102000000_add_email.sql",
        "20240103000000_index_email.sql",
        "20240104000000_create_orders.sql",
    ];

    private void Write(int count)
    {
        var bodies = new[]
        {
            "-- migrate:up\nCREATE TABLE users (id bigserial PRIMARY KEY, name text NOT NULL)\n-- migrate:down\nDROP TABLE users;\n",
            "-- migrate:up\nALTER TABLE users ADD COLUMN email text;\n-- migrate:down\nALTER TABLE users DROP COLUMN email;\n",
            "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY users_email;\n",
            "-- migrate:up\nCREATE TABLE orders (id bigserial PRIMARY KEY, user_id bigint REFERENCES users);\n-- migrate:down\nDROP TABLE orders;\n",
        };
        for (var i = 0; i < count; i++) Dir.Write(_files[i], bodies[i]);
    }

    private async Task AssertBothSayAppliedAsync(int applied)
    {
        var (dbmateApplied, dbmatePending) = await Dbmate.StatusAsync(Url, Dir.Path);
        Assert.Equal(_files[..applied], dbmateApplied);
        Assert.Equal(_files[applied..], dbmatePending);
        var infos = await InfoAsync();
        Assert.Equal(Enumerable.Repeat(MigrationState.Success, applied).Concat(Enumerable.Repeat(MigrationState.Pending, _files.Length - applied)), infos.Select(i => i.State));
    }

    [Fact]
    public async Task SchemaOps_finishes_what_dbmate_started_and_dbmate_rolls_it_back()
    {
        Write(2);
        var (code, output) = await Dbmate.RunAsync(Url, Dir.Path, "migrate");
        Assert.True(code == 0, output);
        Write(4);
        await AssertBothSayAppliedAsync(2);

        Assert.Equal(["20240103000000", "20240104000000"], (await MigrateAsync()).Select(r => r.Version?.Text));
        await AssertBothSayAppliedAsync(4);
        Assert.True(await ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email'::regclass"));

        (code, output) = await Dbmate.RunAsync(Url, Dir.Path, "rollback");
        Assert.True(code == 0, output);
        Assert.False(await TableExistsAsync("orders"));
        await AssertBothSayAppliedAsync(3);
    }

    [Fact]
    public async Task Dbmate_finishes_what_SchemaOps_started_and_SchemaOps_undoes_it()
    {
        Write(4);
        Assert.Equal(2, (await MigrateAsync(s => s with { Target = "20240102000000" })).Count);
        await AssertBothSayAppliedAsync(2);

        var (code, output) = await Dbmate.RunAsync(Url, Dir.Path, "migrate");
        Assert.True(code == 0, output);
        await AssertBothSayAppliedAsync(4);

        var undone = await UndoOperation.UndoAsync(Request(), UndoScope.Last(3), new RecordingSink(), CancellationToken.None);
        Assert.Equal(["20240104000000", "20240103000000", "20240102000000"], undone.Select(r => r.Version?.Text));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'"));
        await AssertBothSayAppliedAsync(1);
    }

    [Fact]
    public async Task Several_concurrently_statements_in_one_transaction_false_section_work_in_SchemaOps()
    {
        // dbmate sends such a section as one text, which PostgreSQL refuses (dbmate issues #126, #182, #285).
        Write(2);
        Dir.Write("20240105000000_two_indexes.sql",
            "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY users_name ON users (name);\nCREATE INDEX CONCURRENTLY users_email2 ON users (email);\n" +
            "-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY users_email2;\nDROP INDEX CONCURRENTLY users_name;\n");

        await MigrateAsync();

        var (applied, pending) = await Dbmate.StatusAsync(Url, Dir.Path);
        Assert.Equal(3, applied.Count);
        Assert.Empty(pending);
        Assert.Equal(2L, await ScalarAsync<long>("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname IN ('users_name', 'users_email2') AND i.indisvalid"));
    }
}
