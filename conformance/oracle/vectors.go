package main

import "fmt"

func runVectors(path string) (any, error) { return nil, fmt.Errorf("not yet: %s", path) }
