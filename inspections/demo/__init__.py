"""The illustrative Tân Hiệp 2019–2020 story that `load_demo` builds."""
