#ifndef CMICROHTTPD_SHIMS_H
#define CMICROHTTPD_SHIMS_H
#include "../../CMicroHTTPD/shim.h"

/// MHD_start_daemon is variadic, which Swift cannot call: this passes an option array instead.
struct MHD_Daemon *CMHD_start_daemon(unsigned int flags, uint16_t port,
                                     MHD_AccessHandlerCallback handler, void *handler_cls,
                                     const struct MHD_OptionItem *options);
#endif
