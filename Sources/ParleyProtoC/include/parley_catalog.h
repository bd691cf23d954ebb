#ifndef PARLEY_CATALOG_H
#define PARLEY_CATALOG_H
#include <stddef.h>
#include <protobuf-c/protobuf-c.h>

/* Every message descriptor generated from Protos/, sorted by C name. */
const ProtobufCMessageDescriptor *const *parley_message_descriptors(size_t *count);

/* The descriptor of `service Parley`: its methods in declaration order define the
   method ids on the wire (id = index + 1). */
const ProtobufCServiceDescriptor *parley_service_descriptor(void);

#endif
