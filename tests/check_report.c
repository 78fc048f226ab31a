/* check_report.c - the HTML report: shared passages (maximal runs of >= 8
 * equal words, marked at the right bytes on both sides), HTML escaping, the
 * heatmap cells, write errors. */
#include "testutil.h"
#include "retold.h"

#include <unistd.h>

static char dir[256], corpus[512];

/* origin: w00 .. w39 with a "<b>&" inside; copy: a new lede, words 0..19,
 * a changed word, words 21..29 (9 words), another change, words 31..37
 * (7 words: too short to show). */
static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/retold-report-XXXXXX");
    ck_assert(mkdtemp(dir) != NULL);
    snprintf(corpus, sizeof corpus, "%s/c.jsonl", dir);
    char origin[2048] = "", copy[2048] = "New lede here. ";
    for (int i = 0; i < 40; i++) {
        char w[32];
        snprintf(w, sizeof w, i == 5 ? "w%02d <b>&amp " : "w%02d ", i);
        strcat(origin, w);
        if (i == 20 || i == 30) strcat(copy, "CHANGED ");
        else if (i < 38) strcat(copy, w);
    }
    FILE *f = fopen(corpus, "w");
    ck_assert(f != NULL);
    fprintf(f, "{\"id\":\"orig\",\"source\":\"A\",\"date\":\"2022-01-01\",\"text\":\"%s\"}\n", origin);
    fprintf(f, "{\"id\":\"copy\",\"source\":\"B\",\"date\":\"2022-01-02\",\"text\":\"%s\"}\n", copy);
    fprintf(f, "{\"id\":\"other\",\"source\":\"C\",\"text\":\"nothing in common at all with the rest\"}\n");
    fclose(f);
}

static void teardown(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void doc_of(void *ctx, size_t i, retold_overlap_doc *d)
{
    retold_batch *b = ctx;
    d->source = retold_batch_source(b, i, &d->source_len);
    d->date = retold_batch_date(b, i, &d->date_len);
}

static char *render(retold_report_opts *ro, FILE *out, int *rc)
{
    retold_batch_opts o;
    retold_batch_opts_default(&o);
    retold_batch *b;
    ck_assert_int_eq(retold_batch_new(&b, &o), RETOLD_OK);
    const char *in = corpus;
    ck_assert_int_eq(retold_batch_run(b, &in, 1, NULL, 0), RETOLD_OK);
    retold_pair p;                      /* the pair as a classifier would give it */
    memset(&p, 0, sizeof p);
    p.a = 0;
    p.b = 1;
    p.relation = RETOLD_REL_PARTIAL_COPY;
    p.jaccard = 0.5f;
    p.containment = 0.9f;
    retold_overlap *ov;
    ck_assert_int_eq(retold_overlap_compute(&ov, retold_batch_size(b), doc_of, b, &p, 1, NULL), RETOLD_OK);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = out ? out : open_memstream(&buf, &len);
    *rc = retold_report_write(f, b, ov, &p, 1, ro);
    if (!out) fclose(f);
    retold_overlap_free(ov);
    retold_batch_free(b);
    return buf;
}

START_TEST(test_passages)
{
    int rc;
    char *html = render(NULL, NULL, &rc);
    ck_assert_int_eq(rc, RETOLD_OK);
    /* passage 1: words 0..19 on both sides, with the escaped markup inside */
    ck_assert_msg(strstr(html, "<mark data-p=\"1\">w00 w01 w02 w03 w04 w05 &lt;b&gt;&amp;amp w06") != NULL, "passage 1 start");
    ck_assert(strstr(html, "w18 w19</mark> w20 <mark data-p=\"2\">w21") != NULL);   /* origin side */
    ck_assert(strstr(html, "w19</mark> CHANGED <mark data-p=\"2\">w21 w22") != NULL);  /* copy side */
    ck_assert(strstr(html, "w29</mark> CHANGED w31") != NULL);    /* 7 words: not a passage */
    ck_assert(strstr(html, "data-p=\"3\"") == NULL);
    ck_assert(strstr(html, "New lede here. <mark") != NULL);      /* the lede is not marked */
    ck_assert(strstr(html, "2 shared passages") != NULL);
    /* heatmap: 3 outlets, B's one document copies A's */
    ck_assert(strstr(html, "data-a=\"B\" data-b=\"A\" data-docs=\"1\" data-shared=\"1\" data-share=\"1.0000\" "
                           "data-a-first=\"0\" data-b-first=\"1\"") != NULL);
    ck_assert(strstr(html, "data-a=\"C\" data-b=\"A\" data-docs=\"1\" data-shared=\"0\"") != NULL);
    ck_assert(strstr(html, "<script>") != NULL && strstr(html, "http://") == NULL);
    free(html);
}
END_TEST

START_TEST(test_limits_and_errors)
{
    retold_report_opts ro;
    retold_report_opts_default(&ro);
    ro.top_outlets = 1;             /* fold B and C into "other outlets" */
    ro.max_text = 40;               /* cut texts for the page */
    ro.summary = 1;
    int rc;
    char *html = render(&ro, NULL, &rc);
    ck_assert_int_eq(rc, RETOLD_OK);
    ck_assert(strstr(html, "other outlets (2)") != NULL);
    ck_assert(strstr(html, "text cut here") != NULL);
    ck_assert(strstr(html, "id=\"summary\"") != NULL);
    free(html);
    /* a write error is reported, not ignored */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        setvbuf(full, NULL, _IONBF, 0);
        render(NULL, full, &rc);
        ck_assert_int_eq(rc, RETOLD_IO);
        fclose(full);
    }
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_passages);
    tcase_add_test(tc, test_limits_and_errors);
    suite_add_tcase(s, tc);
    return s;
}

TU_MAIN(suite)
