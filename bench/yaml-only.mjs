// The YAML parser alone: the floor under `zcspec validate` beside `node -e 0`.
import "yaml";
