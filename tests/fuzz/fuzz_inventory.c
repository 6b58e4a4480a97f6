/*
 * fuzz_inventory.c - libFuzzer target for the Ansible INI inventory parser
 * (collector/collect/inventory.c): any bytes must parse or fail cleanly, and a
 * parsed inventory's hosts must satisfy the invariants collect relies on.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	irmf_inventory *inv = NULL;

	if (irmf_inventory_parse(&inv, (const char *)data, size, "fuzz") == 0) {
		for (size_t i = 0; i < inv->nhosts; i++) {
			const irmf_inv_host *h = &inv->hosts[i];

			if (h->name == NULL || h->address == NULL ||
			    h->port < 1 || h->port > 65535 ||
			    strchr(h->name, '/') != NULL || h->name[0] == '-' ||
			    h->address[0] == '-' || h->roles > 15)
				abort();
		}
		irmf_inventory_free(inv);
	}
	return 0;
}
