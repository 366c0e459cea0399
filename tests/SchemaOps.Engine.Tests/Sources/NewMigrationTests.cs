using SchemaOps.Engine.Operations;

namespace SchemaOps.Engine.Tests.Sources;

public class NewMigrationTests
{
    [Theory]
    [InlineData(null, "1")]
    [InlineData("3", "4")]
    [InlineData("1.9", "1.10")]
    [InlineData("007", "008")]
    [InlineData("2.0.9", "2.0.10")]
    [InlineData("20240101120000", "20240101120001")]
    public void Next_version_increments_the_last_part_keeping_its_width(string? highest, string next) =>
        Assert.Equal(next, NewMigrationOperation.Next(highest));

    [Fact]
    public void Creates_the_next_versioned_file_and_its_undo_and_they_parse()
    {
        using var dir = new TempDir();
        dir.Write("V1__a.sql", "SELECT 1;");
        dir.Write("sub/V1_9__b.sql", "SELECT 1;");

        var files = NewMigrationOperation.Create(dir.Path, "add users email", withUndo: true, new RecordingSink());

        Assert.Equal(["V1.10__add_users_email.sql", "U1.10__add_users_email.sql"], files.Select(f => Path.GetFileName(f.Path)));
        var scanned = Engine.Sources.FlywayLayout.Scan([dir.Path], new Engine.Sources.ScanOptions());
        Assert.Contains(scanned, s => s.Kind == MigrationKind.Undo && s.Version!.Text == "1.10" && s.Description == "add users email");
    }

    [Fact]
    public void Never_overwrites_and_rejects_bad_descriptions()
    {
        using var dir = new TempDir();
        dir.Write("U1__x.sql", "-- an undo with no versioned file yet");
        var e = Assert.Throws<SchemaOpsException>(() => NewMigrationOperation.Create(dir.Path, "x", true, new RecordingSink()));
        Assert.Equal("MigrationFileExists", e.ErrorId);
        Assert.False(File.Exists(Path.Combine(dir.Path, "V1__x.sql")));

        Assert.Equal("InvalidDescription", Assert.Throws<SchemaOpsException>(() => NewMigrationOperation.Create(dir.Path, "  ", true, new RecordingSink())).ErrorId);
        Assert.Equal("InvalidDescription", Assert.Throws<SchemaOpsException>(() => NewMigrationOperation.Create(dir.Path, "a/b", true, new RecordingSink())).ErrorId);
    }

    [Fact]
    public void WhatIf_creates_nothing()
    {
        using var dir = new TempDir();
        var sink = new RecordingSink(whatIf: true);
        Assert.Empty(NewMigrationOperation.Create(dir.Path, "x", true, sink));
        Assert.Equal(2, sink.Questions.Count);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
