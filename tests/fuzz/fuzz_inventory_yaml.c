/*
 * fuzz_inventory_yaml.c - libFuzzer target for the YAML inventory reader
 * and the JSON one it shares the resolver with
 * (collector/collect/inventory_yaml.c, inventory_json.c): any bytes must
 * read or fail cleanly (no crash, leak or unbounded work on aliases), and
 * a read inventory's hosts must satisfy the invariants collect relies on.
 * The first byte picks the reader, so one corpus reaches both.
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
	const char *name = size > 0 && data[0] == '{' ? "fuzz.json" :
	    "fuzz.yml";

	if (irmf_inventory_parse(&inv, (const char *)data, size, name) == 0) {
		for (size_t i = 0; i < inv->nhosts; i++) {
			const irmf_inv_host *h = &inv->hosts[i];

			if (h->name == NULL || h->address == NULL ||
			    h->port < 1 || h->port > 65535 ||
			    strchr(h->name, '/') != NULL || h->name[0] == '-' ||
			    h->address[0] == '-' || h->roles > 15 ||
			    (h->identity != NULL && h->identity[0] == '\0'))
				abort();
		}
		for (size_t i = 0; i < inv->nwarnings; i++)
			if (inv->warnings[i] == NULL)
				abort();
		irmf_inventory_free(inv);
	}
	return 0;
}
