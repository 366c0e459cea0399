using SchemaOps.Engine.Sources;

namespace SchemaOps.Engine.Tests.Sources;

public class VersionTests
{
    [Theory]
    [InlineData("1", "1.0")]
    [InlineData("1", "01")]
    [InlineData("1.0.0", "1")]
    [InlineData("2024_01_15", "2024.1.15")]
    public void Equal_versions(string a, string b)
    {
        Assert.Equal(MigrationVersion.Parse(a), MigrationVersion.Parse(b));
        Assert.Equal(MigrationVersion.Parse(a).GetHashCode(), MigrationVersion.Parse(b).GetHashCode());
    }

    [Theory]
    [InlineData("1.9", "1.10")]
    [InlineData("1", "1.0.1")]
    [InlineData("9", "10")]
    [InlineData("99999999999999999999", "100000000000000000000")]
    public void Ordered_versions(string lower, string higher)
    {
        Assert.True(MigrationVersion.Parse(lower) < MigrationVersion.Parse(higher));
    }

    [Fact]
    public void Text_keeps_the_files_spelling_with_dots()
    {
        Assert.Equal("0.0.1.01", MigrationVersion.Parse("0_0_1_01").Text);
    }

    [Theory]
    [InlineData("1a")]
    [InlineData("1..2")]
    [InlineData("")]
    [InlineData("1-2")]
    public void Invalid_versions(string text)
    {
        Assert.False(MigrationVersion.TryParse(text, out _, out var error));
        Assert.NotNull(error);
    }
}
