/*
 * test_collect.c - the collect engine (collector/collect/engine.c) without an SSH
 * server: option checks, hosts that refuse connections or never speak SSH
 * (connect timeout, run deadline), the snapshot each failed host still
 * gets, the run-state file and --retry-failed.  Real servers are in
 * tests/integration/test_collect.sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "collect.h"
#include "inventory.h"
#include "error.h"
#include "irmfleet/snapshot.h"

/* A TCP port on loopback: listening (accepts, never answers) or closed. */
static int
tcp_port(bool listening, int *fd_out)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	if (listening) {
		assert_int_equal(listen(fd, 16), 0);
		*fd_out = fd;
	} else {
		close(fd);   /* nobody listens there now */
		*fd_out = -1;
	}
	return ntohs(a.sin_port);
}

typedef struct fixture {
	char *dir;
	char out[512], kh[512];
	irmf_collect_options o;
} fixture;

static int
setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	f->dir = tu_tempdir();
	snprintf(f->out, sizeof(f->out), "%s/out", f->dir);
	snprintf(f->kh, sizeof(f->kh), "%s/known_hosts", f->dir);
	irmf_collect_options_init(&f->o);
	f->o.out_dir = f->out;
	f->o.known_hosts = f->kh;
	f->o.use_agent = 0;
	f->o.default_user = "tester";
	f->o.connect_timeout_ms = 600;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	fixture *f = *state;

	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static irmf_inventory *
inventory(const char *text)
{
	irmf_inventory *inv = NULL;

	assert_int_equal(irmf_inventory_parse(&inv, text, strlen(text),
	    "t.ini"), 0);
	return inv;
}

static char *
read_text(const char *path)
{
	size_t len;

	return tu_read_fixture(path, &len);
}

static void
test_options_checked(void **state)
{
	fixture *f = *state;
	irmf_inventory *inv = inventory("[fci]\nfs1\n");
	irmf_collect_result *r = NULL;

	f->o.out_dir = NULL;
	assert_int_equal(irmf_collect_run(inv, &f->o, &r), IRMF_EUSAGE);
	f->o.out_dir = f->out;
	f->o.parallel = 0;
	assert_int_equal(irmf_collect_run(inv, &f->o, &r), IRMF_EUSAGE);
	assert_non_null(strstr(irmf_error_last()->message, "--parallel"));
	f->o.parallel = 4;
	f->o.retry_failed = 1;   /* no previous run yet */
	assert_int_equal(irmf_collect_run(inv, &f->o, &r), IRMF_ENOTFOUND);
	assert_null(r);
	irmf_inventory_free(inv);
}

static void
test_unreachable_hosts(void **state)
{
	fixture *f = *state;
	int lfd, cfd, closed = tcp_port(false, &cfd), mute = tcp_port(true, &lfd);
	char text[512], path[600];
	irmf_inventory *inv;
	irmf_collect_result *r = NULL;
	char *snap, *st;

	snprintf(text, sizeof(text), "[exchange]\n"
	    "refused ansible_host=127.0.0.1 ansible_port=%d\n"
	    "mute ansible_host=127.0.0.1 ansible_port=%d\n"
	    "nowhere.invalid\n"
	    "[other]\nnot-a-server\n", closed, mute);
	inv = inventory(text);
	assert_int_equal(irmf_collect_run(inv, &f->o, &r), 0);
	/* hosts without a role are not collected at all */
	assert_int_equal(irmf_collect_result_count(r), 3);
	assert_int_equal(irmf_collect_result_failed(r), 3);
	assert_string_equal(irmf_collect_result_host(r, 0), "refused");
	assert_int_equal(irmf_collect_result_status(r, 0), IRMF_HOST_FAILED);
	assert_string_equal(irmf_collect_result_reason(r, 0), "connection");
	assert_non_null(strstr(irmf_collect_result_message(r, 0),
	    "Connection refused"));
	/* accepts TCP but never says SSH: the connect timeout */
	assert_string_equal(irmf_collect_result_reason(r, 1), "timeout");
	assert_string_equal(irmf_collect_result_reason(r, 2), "connection");
	assert_non_null(strstr(irmf_collect_result_message(r, 2),
	    "cannot resolve"));
	/* each failed host has a valid snapshot saying so */
	snprintf(path, sizeof(path), "%s/mute.xml", f->out);
	assert_string_equal(irmf_collect_result_snapshot(r, 1), path);
	snap = read_text(path);
	assert_non_null(strstr(snap, "item=\"host\" reason=\"timeout\""));
	assert_non_null(strstr(snap, "<method>ssh</method>"));
	free(snap);
	assert_int_equal(irmf_snapshot_validate_file(path, NULL, NULL), 0);
	/* the state file lists all three for --retry-failed */
	snprintf(path, sizeof(path), "%s/%s", f->out, IRMF_COLLECT_STATE_FILE);
	st = read_text(path);
	assert_non_null(strstr(st, "\nrefused\tconnection\t"));
	assert_non_null(strstr(st, "\nmute\ttimeout\t"));
	assert_null(strstr(st, "not-a-server"));
	free(st);
	irmf_collect_result_free(r);
	irmf_inventory_free(inv);
	close(lfd);
}

static void
test_retry_and_deadline(void **state)
{
	fixture *f = *state;
	int lfd, cfd, closed = tcp_port(false, &cfd), mute = tcp_port(true, &lfd);
	char text[512];
	irmf_inventory *inv;
	irmf_collect_result *r = NULL;
	irmf_strlist failed = { 0 };

	snprintf(text, sizeof(text), "[fci]\n"
	    "a ansible_host=127.0.0.1 ansible_port=%d\n"
	    "b ansible_host=127.0.0.1 ansible_port=%d\n"
	    "c ansible_host=127.0.0.1 ansible_port=%d\n",
	    closed, mute, mute);
	inv = inventory(text);
	/* one session at a time and a run deadline shorter than the
	 * connect timeout: b runs out of time, c never starts */
	f->o.parallel = 1;
	f->o.connect_timeout_ms = 5000;
	f->o.deadline_ms = 400;
	assert_int_equal(irmf_collect_run(inv, &f->o, &r), 0);
	assert_int_equal(irmf_collect_result_failed(r), 3);
	assert_string_equal(irmf_collect_result_reason(r, 1), "deadline");
	assert_string_equal(irmf_collect_result_reason(r, 2), "deadline");
	assert_non_null(strstr(irmf_collect_result_message(r, 2),
	    "not started"));
	assert_true(irmf_collect_result_seconds(r) < 3.0);
	irmf_collect_result_free(r);
	assert_int_equal(irmf_collect_state_read(f->out, &failed), 0);
	assert_int_equal(failed.n, 3);
	irmf_strlist_clear(&failed);

	/* retry with the state rewritten by hand: only b is retried */
	{
		char path[600];
		FILE *fp;

		snprintf(path, sizeof(path), "%s/%s", f->out,
		    IRMF_COLLECT_STATE_FILE);
		fp = fopen(path, "w");
		assert_non_null(fp);
		fprintf(fp, "# state\nb\ttimeout\tx\n");
		fclose(fp);
	}
	f->o.retry_failed = 1;
	f->o.deadline_ms = 0;
	f->o.connect_timeout_ms = 300;
	assert_int_equal(irmf_collect_run(inv, &f->o, &r), 0);
	assert_int_equal(irmf_collect_result_count(r), 1);
	assert_string_equal(irmf_collect_result_host(r, 0), "b");
	assert_string_equal(irmf_collect_result_reason(r, 0), "timeout");
	irmf_collect_result_free(r);
	irmf_inventory_free(inv);
	close(lfd);
}

static void
test_bad_identity(void **state)
{
	fixture *f = *state;
	irmf_inventory *inv = inventory("[fci]\nfs1\n");
	irmf_collect_result *r = NULL;
	const char *ids[] = { "/nonexistent/id_ed25519" };
	int enc = -1;

	f->o.identities = ids;
	f->o.nidentities = 1;
	assert_int_equal(irmf_collect_run(inv, &f->o, &r), IRMF_EIO);
	assert_non_null(strstr(irmf_error_last()->message,
	    "/nonexistent/id_ed25519"));
	assert_int_not_equal(irmf_collect_identity_encrypted(ids[0], &enc), 0);
	irmf_inventory_free(inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_options_checked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unreachable_hosts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_retry_and_deadline, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_identity, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
