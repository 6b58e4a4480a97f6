/*
 * hostauth.h - the SSH credentials of a host whose inventory names its own
 * key (ansible_ssh_private_key_file): that key first, then the run's
 * (--identity, the agent, the password), as ssh -i adds to what is tried.
 * Each key file is read once per run however many hosts name it.
 */
#ifndef IRMF_HOSTAUTH_H
#define IRMF_HOSTAUTH_H

#include <stddef.h>

#include "ssh.h"

typedef struct irmf_hostauth irmf_hostauth;

/* A cache over the run's credentials base (borrowed: it must outlive the
 * cache). */
int irmf_hostauth_new(irmf_hostauth **out, const irmf_ssh_auth *base);
/* Frees (and wipes) the keys read. */
void irmf_hostauth_free(irmf_hostauth *a);

/* The credentials for a host naming key file path ("~/" is $HOME), valid
 * until irmf_hostauth_free; NULL with the reason in err when the key
 * cannot be read. */
const irmf_ssh_auth *irmf_hostauth_get(irmf_hostauth *a, const char *path,
    char *err, size_t errcap);

#endif
