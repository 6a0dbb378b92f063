/*
 * cmd_stats.c: `reprint stats`, what an index holds and how it searches.
 *
 * Besides the counts, this prints the parameters stored with the index and
 * the S-curves of the candidate rule that cluster and query apply (db/bands.c),
 * at Jaccard s = 0.1 ... 1.0, so a user can see which similarity levels the
 * index will find before verification decides: for each LSH family, one
 * meeting in a bucket of at most 24 members, P = 1 - (1 - s^r)^b, and two
 * meetings (P(at least 2 of b bands)), which a crowded bucket (up to the
 * bucket cap) and a wide one (over the cap; its members are paired with
 * its earliest member) require; for the anchor sketch, two agreeing slots,
 * by the share of slots that agree.
 */
#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: reprint stats [-d DB] [--json]\n"
    "\n"
    "Print the counts of an index (articles, exact duplicates, clusters, clustered\n"
    "articles, band rows, text bytes), what the last cluster run compared and left\n"
    "out (wide buckets over the cap, pairs whose sentence pass was skipped or capped,\n"
    "pairs lost to errors), its parameters and the LSH S-curve.\n"
    "\n"
    "options:\n"
    "  -d, --db DB   database (default $REPRINT_DB, else reprint.db); read-only\n"
    "      --json    one JSON object: articles, exact_duplicates, clusters,\n"
    "                clustered_articles, band_rows, text_bytes, last_cluster\n"
    "                (null before any cluster run), params, s_curve\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 3 I/O or database error.\n";

enum { OPT_JSON = 256 };

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static const char *const fam_name[RP_FAM_COUNT_] = {"words", "stems"};

/* The counts of the last cluster run, as an object or JSON null. */
static json_t *last_json(const rp_cluster_stats *l)
{
    if (!l) return json_null();
    json_t *o = json_object();
    json_object_set_new(o, "candidates", cli_json_u64(l->candidates));
    json_object_set_new(o, "reuse_pairs", cli_json_u64(l->verified));
    json_object_set_new(o, "wide_buckets", cli_json_u64(l->wide_buckets));
    json_object_set_new(o, "sentence_passes_skipped", cli_json_u64(l->sentences_skipped));
    json_object_set_new(o, "sentence_links_capped", cli_json_u64(l->links_capped));
    json_object_set_new(o, "failed_pairs", cli_json_u64(l->pairs_failed));
    json_object_set_new(o, "same_site_templates", cli_json_u64(l->same_site_templates));
    return o;
}

/* P(candidate) at s = 0.1 ... 1.0 for pairs that must meet `meetings` times. */
static json_t *curve_json(const rp_lsh *l, unsigned meetings)
{
    json_t *c = json_object();
    for (int i = 1; i <= 10; i++) {
        char key[8];
        snprintf(key, sizeof key, "%.1f", i / 10.0);
        json_object_set_new(c, key, cli_json_score(rp_lsh_probability_met(l, i / 10.0, meetings)));
    }
    return c;
}

static void curve_row(const char *name, const rp_lsh *l, unsigned meetings)
{
    printf("  %-7s", name);
    for (int i = 1; i <= 10; i++)
        printf("  %5.3f", rp_lsh_probability_met(l, i / 10.0, meetings));
    putchar('\n');
}

static void print_json(const rp_db_stats *s, const rp_params *p, const rp_cluster_stats *last)
{
    json_t *o = json_object(), *jp = json_object(), *lsh = json_object(), *curve = json_object();
    json_object_set_new(o, "articles", cli_json_u64(s->articles));
    json_object_set_new(o, "exact_duplicates", cli_json_u64(s->exact_duplicates));
    json_object_set_new(o, "clusters", cli_json_u64(s->clusters));
    json_object_set_new(o, "clustered_articles", cli_json_u64(s->clustered_articles));
    json_object_set_new(o, "band_rows", cli_json_u64(s->band_rows));
    json_object_set_new(o, "text_bytes", cli_json_u64(s->text_bytes));
    json_object_set_new(o, "unparsed_dates", cli_json_u64(s->unparsed_dates));
    json_object_set_new(o, "last_cluster", last_json(last));
    json_object_set_new(jp, "k", cli_json_u64(p->k));
    json_object_set_new(jp, "shingle_k", cli_json_u64(p->shingle_k));
    json_object_set_new(jp, "stem_k", cli_json_u64(p->stem_k));
    json_object_set_new(jp, "bucket_cap", cli_json_u64(p->bucket_cap));
    json_object_set_new(jp, "min_score", cli_json_score(p->min_score));
    for (int f = 0; f < RP_FAM_COUNT_; f++) {
        const rp_lsh *l = &p->lsh[f];
        json_t *jl = json_object();
        json_object_set_new(jl, "bands", cli_json_u64(l->bands));
        json_object_set_new(jl, "rows", cli_json_u64(l->rows));
        json_object_set_new(jl, "threshold", cli_json_score(l->threshold));
        json_object_set_new(lsh, fam_name[f], jl);
        json_object_set_new(curve, fam_name[f], curve_json(l, 1));
        char key[32];
        snprintf(key, sizeof key, "%s_met_twice", fam_name[f]);
        json_object_set_new(curve, key, curve_json(l, 2));
    }
    if (p->anchor_slots) {
        rp_lsh a = {(unsigned)p->anchor_slots, 1, 0};
        json_object_set_new(curve, "anchors_met_twice", curve_json(&a, 2));
    }
    json_object_set_new(jp, "lsh", lsh);
    json_object_set_new(jp, "anchor_slots", cli_json_u64(p->anchor_slots));
    json_object_set_new(jp, "anchor_rate", cli_json_u64(p->anchor_rate));
    json_object_set_new(o, "params", jp);
    json_object_set_new(o, "s_curve", curve);
    cli_json_print(o);
}

static void print_human(const char *path, const rp_db_stats *s, const rp_params *p,
                        const rp_cluster_stats *last)
{
    fputs("database            ", stdout);
    cli_puts_safe(stdout, path);
    putchar('\n');
    printf("articles            %llu\n", (unsigned long long)s->articles);
    printf("exact duplicates    %llu\n", (unsigned long long)s->exact_duplicates);
    printf("clusters            %llu\n", (unsigned long long)s->clusters);
    printf("clustered articles  %llu\n", (unsigned long long)s->clustered_articles);
    printf("band rows           %llu\n", (unsigned long long)s->band_rows);
    printf("text bytes          %llu\n", (unsigned long long)s->text_bytes);
    if (s->unparsed_dates)
        printf("unparsed dates      %llu (kept as given, not used to order copies)\n",
               (unsigned long long)s->unparsed_dates);
    if (last) {
        printf("last cluster run    candidates %llu, reuse pairs %llu",
               (unsigned long long)last->candidates, (unsigned long long)last->verified);
        cli_print_limits(stdout, last);
        putchar('\n');
    }
    printf("\nparameters\n");
    printf("  minhash slots     %zu per family\n", p->k);
    printf("  shingles          %zu words, %zu stems\n", p->shingle_k, p->stem_k);
    for (int f = 0; f < RP_FAM_COUNT_; f++)
        printf("  lsh %-13s %u bands x %u rows (target jaccard %.2f)\n", fam_name[f],
               p->lsh[f].bands, p->lsh[f].rows, p->lsh[f].threshold);
    if (p->anchor_slots)
        printf("  anchor sketch     %zu slots, 1 in %zu stem pairs (containment)\n",
               p->anchor_slots, p->anchor_rate);
    else
        printf("  anchor sketch     none (index made before it)\n");
    printf("  bucket cap        %zu\n", p->bucket_cap);
    printf("  min score         %g\n", p->min_score);
    printf("\nP(candidate) by Jaccard: met once in a bucket of at most 24 members\n  jaccard");
    for (int i = 1; i <= 10; i++)
        printf("  %5.1f", i / 10.0);
    putchar('\n');
    for (int f = 0; f < RP_FAM_COUNT_; f++)
        curve_row(fam_name[f], &p->lsh[f], 1);
    printf("met twice: crowded buckets (25 to %zu members), wide ones (more: paired with\n"
           "their earliest member) and the anchor sketch (by the share of agreeing slots)\n",
           p->bucket_cap);
    for (int f = 0; f < RP_FAM_COUNT_; f++)
        curve_row(fam_name[f], &p->lsh[f], 2);
    if (p->anchor_slots) {
        rp_lsh a = {(unsigned)p->anchor_slots, 1, 0};
        curve_row("anchors", &a, 2);
    }
}

int cmd_stats(int argc, char **argv)
{
    const char *cmd = argv[0], *dbopt = NULL;
    int json = 0, ch;
    while ((ch = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbopt = optarg;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error(cmd, NULL);
        }
    }
    if (optind < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    const char *path = cli_db_path(dbopt);
    rp_db *db = cli_db_open(path, RP_DB_READONLY);
    rp_db_stats s = {0};
    rp_params p;
    rp_err e = rp_db_stats_get(db, &s);
    if (e != RP_OK) {
        cli_warnx("%s: %s", path,
                  cli_db_reason(path, e == RP_DB ? rp_db_errmsg(db) : rp_strerror(e)));
        rp_db_close(db);
        return CLI_EXIT_IO;
    }
    cli_db_params(db, &p);
    rp_cluster_stats last;
    int have_last = rp_cluster_last(db, &last) == RP_OK;
    rp_db_close(db);
    if (json)
        print_json(&s, &p, have_last ? &last : NULL);
    else
        print_human(path, &s, &p, have_last ? &last : NULL);
    return CLI_EXIT_OK;
}
