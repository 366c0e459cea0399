using System.Text;
using FsCheck;
using FsCheck.Fluent;
using SchemaOps.Engine.History;
using SchemaOps.Engine.Snapshots;
using SchemaOps.Engine.Tests.Operations;

namespace SchemaOps.Engine.Tests.Snapshots;

/// <summary>
/// No two distinct objects ever share a snapshot key, over generated names: long ones (PostgreSQL keeps 63
/// bytes of each, and a key joins two), ones with dots and quotes (table "a.b" column c against table a
/// column "b.c"), and multi-byte ones. Each case creates the objects on the real server and snapshots them.
/// </summary>
public class SnapshotKeyProperties(PostgresFixture pg) : DatabaseTestBase(pg)
{
    // Letters that matter: a dot (the key's separator), a quote, a space, a two-byte letter, digits.
    private static readonly Gen<char> Letter = Gen.Elements("abxyz._\" É1".ToCharArray());

    /// <summary>A PostgreSQL name it keeps whole: 1 to 63 bytes, often close to 63.</summary>
    private static readonly Gen<string> Name =
        from length in Gen.OneOf(Gen.Choose(1, 6), Gen.Choose(50, 63))
        from letters in Gen.ArrayOf(Letter, length)
        let text = new string(letters)
        where Encoding.UTF8.GetByteCount(text) <= 63
        select text;

    /// <summary>Two tables, each with constraints and columns that often share long prefixes (what cutting keys to 63 bytes merges).</summary>
    private static readonly Gen<(string Table, string[] Parts)[]> Tables =
        from prefix in Name
        from tables in Gen.ArrayOf(
            from table in Gen.OneOf(Name, Gen.Constant(prefix))
            from parts in Gen.ArrayOf(Gen.OneOf(Name, Name.Select(n => (prefix + n)[..Math.Min(prefix.Length + n.Length, 40)])), 4)
            select (table, parts.Distinct().ToArray()), 2)
        where tables[0].table != tables[1].table
        select tables;

    [Fact]
    public void Distinct_objects_never_share_a_key()
    {
        Prop.ForAll(Tables.ToArbitrary(), tables =>
        {
            var snapshot = CreateAndSnapshot(tables).GetAwaiter().GetResult();
            var keys = snapshot.Objects.Select(o => (o.Kind, o.Schema, o.Name)).ToList();
            var expected = tables.Sum(t => 1 + 2 * t.Parts.Length) + 1; // each table, its columns and constraints; the schema
            return (keys.Distinct().Count() == keys.Count && keys.Count == expected)
                .Label($"{keys.Count} objects, {keys.Distinct().Count()} keys, {expected} expected: {string.Join(" | ", keys.Select(k => k.Name))}");
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(40));
    }

    private async Task<SchemaSnapshot> CreateAndSnapshot((string Table, string[] Parts)[] tables)
    {
        var sql = new StringBuilder("DROP SCHEMA IF EXISTS p CASCADE; CREATE SCHEMA p;\n");
        foreach (var (table, parts) in tables)
        {
            var columns = parts.Select(p => $"{HistoryTableName.Quote(p)} int");
            var checks = parts.Select(p => $"CONSTRAINT {HistoryTableName.Quote(p)} CHECK (true)");
            sql.Append($"CREATE TABLE p.{HistoryTableName.Quote(table)} ({string.Join(", ", columns.Concat(checks))});\n");
        }
        await ExecAsync(sql.ToString());
        return await SnapshotOperation.TakeAsync(Request(s => s with { Schemas = ["p"] }), RowCountMode.None, new RecordingSink(), CancellationToken.None);
    }
}
