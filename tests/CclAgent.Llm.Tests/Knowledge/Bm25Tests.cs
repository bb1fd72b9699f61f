using CclAgent.Llm.Knowledge;

namespace CclAgent.Llm.Tests.Knowledge;

public sealed class Bm25Tests
{
    private static readonly KnowledgeChunk[] Corpus =
    [
        new("net", 0, "RoCE", "More queue pairs per connection spread flows over ECMP paths on RoCE fabrics. NCCL_IB_QPS_PER_CONNECTION."),
        new("net", 1, "Sockets", "TCP sockets need more helper threads: NCCL_SOCKET_NTHREADS and NCCL_NSOCKS_PERTHREAD."),
        new("proto", 0, "Protocols", "LL has the lowest latency for small messages; Simple has the full bandwidth for large messages."),
        new("proto", 1, "Protocols again", "Simple Simple Simple bandwidth bandwidth large large messages messages messages."),
    ];

    [Fact]
    public void Query_terms_rank_the_matching_chunk_first()
    {
        var index = new Bm25Index(Corpus);

        Assert.Equal("rag:net:0", index.Search("ecmp qps roce", 3)[0].Citation);
        Assert.Equal("rag:net:1", index.Search("tcp socket threads", 3)[0].Citation);
        Assert.Equal("rag:proto:0", index.Search("latency small messages LL", 3)[0].Citation);
    }

    [Fact]
    public void Nccl_variable_names_match_whole_and_by_their_parts()
    {
        var index = new Bm25Index(Corpus);

        Assert.Equal("rag:net:0", index.Search("NCCL_IB_QPS_PER_CONNECTION", 1)[0].Citation);
        Assert.Equal("rag:net:1", index.Search("nsocks", 1)[0].Citation);
    }

    [Fact]
    public void Term_frequency_saturates_and_long_chunks_are_normalised()
    {
        var index = new Bm25Index(Corpus);

        IReadOnlyList<RetrievedChunk> results = index.Search("bandwidth", 2);

        // The repetitive chunk scores higher, but by less than its 3× term count (k1 saturation).
        Assert.Equal("rag:proto:1", results[0].Citation);
        Assert.True(results[0].Score < 3 * results[1].Score);
    }

    [Fact]
    public void No_match_returns_nothing_and_ties_order_deterministically()
    {
        var index = new Bm25Index(Corpus);

        Assert.Empty(index.Search("completely unrelated words", 5));
        Assert.Equal(index.Search("messages", 4).Select(r => r.Citation), index.Search("messages", 4).Select(r => r.Citation));
    }

    [Fact]
    public void Shipped_notes_cover_every_tuned_parameter_and_cite_as_rag_ids()
    {
        KnowledgeLibrary library = KnowledgeLibrary.BuiltIn;

        foreach (string parameter in new[] { "NCCL_ALGO", "NCCL_PROTO", "NCCL_NTHREADS", "NCCL_BUFFSIZE", "NCCL_MIN_NCHANNELS", "NCCL_MAX_NCHANNELS", "NCCL_P2P_LEVEL", "NCCL_NET_GDR_LEVEL", "NCCL_IB_QPS_PER_CONNECTION", "NCCL_SOCKET_NTHREADS", "NCCL_NSOCKS_PERTHREAD", "NCCL_CROSS_NIC" })
        {
            RetrievedChunk top = library.Search(parameter, 1).Single();
            Assert.Matches("^rag:[a-z0-9-]+:[0-9]+$", top.Citation);
            Assert.Contains(parameter, top.Chunk.Heading + top.Chunk.Text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.StartsWith("rag:fabrics:", library.Search("RoCE converged ethernet PFC ECN lossless", 1)[0].Citation, StringComparison.Ordinal);
    }

    [Fact]
    public void User_directory_notes_are_indexed_beside_the_shipped_ones()
    {
        string dir = Directory.CreateTempSubdirectory("ccl-knowledge-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "Our Cluster.md"), "# Our cluster\n\n## Quirks\n\nThe zebrafinch switch drops jumbo frames.\n");

            KnowledgeLibrary library = KnowledgeLibrary.Load([dir]);

            Assert.Equal("rag:our-cluster:0", library.Search("zebrafinch jumbo", 1)[0].Citation);
            Assert.Contains("fabrics", library.Documents);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Chunker_splits_at_headings_and_keeps_the_heading_path()
    {
        IReadOnlyList<KnowledgeChunk> chunks = MarkdownChunker.Chunk("doc", "# Title\n\nintro\n\n## A\n\ntext a\n\n### A1\n\ntext a1\n\n## B\n\ntext b\n");

        Assert.Equal(["Title", "Title › A", "Title › A1", "Title › B"], chunks.Select(c => c.Heading));
        Assert.Equal([0, 1, 2, 3], chunks.Select(c => c.Index));
    }
}
