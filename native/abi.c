/* SPDX-License-Identifier: MIT */
/* Layout facts the binding checks against its own before the first call. */
#include "zcspec.h"

uint32_t zc_abi_version(void)
{
	return ZC_ABI_VERSION;
}

uint32_t zc_plan_size(void)
{
	return sizeof(struct zc_plan);
}

uint32_t zc_result_size(void)
{
	return sizeof(struct zc_result);
}

uint32_t zc_control_size(void)
{
	return sizeof(struct zc_control);
}

uint32_t zc_probe_size(void)
{
	return sizeof(struct zc_probe);
}

uint32_t zc_rx_config_size(void)
{
	return sizeof(struct zc_rx_config);
}

uint32_t zc_rx_stats_size(void)
{
	return sizeof(struct zc_rx_stats);
}
